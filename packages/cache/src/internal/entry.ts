/**
 * One cached value with its timing metadata, as L1 holds it and as loads pass it around.
 * Times are the cache clock's milliseconds. Issue 7 (tags, fencing) extends this shape with
 * `tags` and an `epoch`; everything that creates entries goes through {@link createEntry}.
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
  /** Grace backoff: before this time a failed refresh is not retried (0 when none). */
  retryAt: number;
}

/** Builds an entry that is fresh for `ttlMs` and then usable stale for `graceMs`. */
export function createEntry(
  value: unknown,
  now: number,
  ttlMs: number,
  graceMs: number,
  createdAt: number = now,
): CacheEntry {
  const expiresAt = now + ttlMs;
  return { value, expiresAt, graceUntil: expiresAt + Math.max(0, graceMs), createdAt, retryAt: 0 };
}

/** Whether the entry is fresh at `now`. */
export function isFresh(entry: CacheEntry, now: number): boolean {
  return entry.expiresAt > now;
}

/** Whether the entry may still be served stale at `now`. */
export function isWithinGrace(entry: CacheEntry, now: number): boolean {
  return entry.graceUntil > now;
}
