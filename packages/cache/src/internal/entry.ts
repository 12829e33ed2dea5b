/**
 * One cached value with its timing metadata, as L1 holds it and as loads pass it around.
 * Times are the cache clock's milliseconds. Everything that creates entries goes through
 * {@link createEntry}.
 */
export interface CacheEntry {
  /** The stored value: the serializer's round trip of what was written when an L2 is configured. */
  readonly value: unknown;
  /** Until when the value is fresh. */
  readonly expiresAt: number;
  /** Until when the value may still be served stale (never before `expiresAt`). */
  readonly graceUntil: number;
  /** When the value was produced by a factory or `set`, as the writer's clock saw it. */
  readonly createdAt: number;
  /**
   * When this process stored the entry (this cache's clock): while the bus is down, L1 serves
   * an entry only until `storedAt + busDownTtlMs`.
   */
  readonly storedAt: number;
  /**
   * The versions of the value's tags when its load started (`tag → "hard:soft"`), or
   * `undefined` for an untagged value. A read compares them with the current versions.
   */
  readonly tags: TagStamp | undefined;
  /** How long the factory that produced the value ran, in milliseconds (0 when unknown). */
  readonly loadMs: number;
  /** Grace backoff: before this time a failed refresh is not retried (0 when none). */
  retryAt: number;
}

/** Tag versions recorded with a value: `tag → "<hard>:<soft>"`. */
export type TagStamp = Readonly<Record<string, string>>;

/** What an entry carries besides its value and TTLs. */
export interface EntryExtras {
  readonly createdAt?: number;
  readonly tags?: TagStamp | undefined;
  readonly loadMs?: number;
}

/** Builds an entry that is fresh for `ttlMs` and then usable stale for `graceMs`. */
export function createEntry(
  value: unknown,
  now: number,
  ttlMs: number,
  graceMs: number,
  extras: EntryExtras = {},
): CacheEntry {
  const expiresAt = now + ttlMs;
  return {
    value,
    expiresAt,
    graceUntil: expiresAt + Math.max(0, graceMs),
    createdAt: extras.createdAt ?? now,
    storedAt: now,
    tags: extras.tags,
    loadMs: extras.loadMs ?? 0,
    retryAt: 0,
  };
}

/** The same entry, expired at `now` (kept for its grace): a soft invalidation. */
export function expireEntry(entry: CacheEntry, now: number): CacheEntry {
  if (entry.expiresAt <= now) return entry;
  return { ...entry, expiresAt: now, graceUntil: Math.max(now, entry.graceUntil) };
}

/** Whether the entry is fresh at `now`. */
export function isFresh(entry: CacheEntry, now: number): boolean {
  return entry.expiresAt > now;
}

/** Whether the entry may still be served stale at `now`. */
export function isWithinGrace(entry: CacheEntry, now: number): boolean {
  return entry.graceUntil > now;
}
