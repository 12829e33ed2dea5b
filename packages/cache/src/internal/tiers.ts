import { InternalError, ValidationError } from '@rampart/errors';
import type { L2Record, L2Store } from '../l2-store.ts';
import type { CacheSerializer } from '../serializer.ts';
import { type CacheEntry, createEntry, isFresh } from './entry.ts';
import { L2_UNAVAILABLE, type L2Guard } from './l2-guard.ts';
import { decodeRecord, encodeRecord } from './record.ts';
import type { Telemetry } from './telemetry.ts';
import type { TinyLfuStore } from './tiny-lfu-store.ts';

/** A value ready to be written: the L1 entry and, with an L2, the record and its TTL. */
export interface PreparedWrite {
  readonly entry: CacheEntry;
  readonly record: string | undefined;
  readonly l2TtlMs: number;
}

/** What an invalidation drops: some keys, or the whole namespace. */
export type Invalidation = { readonly keys: readonly string[] } | { readonly all: true };

/** Settings of {@link Tiers}. */
export interface TiersOptions {
  readonly l1: TinyLfuStore | undefined;
  readonly l2: { readonly store: L2Store; readonly guard: L2Guard } | undefined;
  readonly namespace: string;
  readonly serializer: CacheSerializer;
  readonly jitter: number;
  readonly defaultTtlMs: number;
  readonly telemetry: Telemetry;
}

/**
 * L1 and L2 behind one surface: encoding, the fidelity round trip, TTL jitter, backfill with
 * the remaining TTL, and the single write and invalidation paths. Issue 7 hooks in here:
 * the bus publishes from {@link Tiers.write} and {@link Tiers.invalidate}, fencing makes the
 * L2 write conditional, batches add an L2 `getMany` next to {@link Tiers.readL2}.
 */
export class Tiers {
  readonly l1: TinyLfuStore | undefined;
  readonly #l2: TiersOptions['l2'];
  readonly #options: TiersOptions;
  readonly #pendingWrites = new Set<Promise<unknown>>();

  constructor(options: TiersOptions) {
    this.l1 = options.l1;
    this.#l2 = options.l2;
    this.#options = options;
  }

  get hasL2(): boolean {
    return this.#l2 !== undefined;
  }

  /**
   * Reads `key` from L2 and backfills L1 with what it found (fresh or within grace), with
   * the remaining TTL as L2 reports it. Publishes the L2 hit or miss when `record` is set.
   */
  async readL2(
    key: string,
    now: () => number,
    signal: AbortSignal | undefined,
    record = true,
  ): Promise<CacheEntry | undefined | typeof L2_UNAVAILABLE> {
    const l2 = this.#l2;
    if (l2 === undefined) return L2_UNAVAILABLE;
    const { namespace, telemetry } = this.#options;
    const started = performance.now();
    const found = await l2.guard.run(
      'get',
      key,
      (abortSignal) => l2.store.get(namespace, key, abortSignal),
      signal,
    );
    if (found === L2_UNAVAILABLE) return L2_UNAVAILABLE;
    const at = now();
    const entry = found === undefined ? undefined : this.#decode(key, found, at, l2.guard);
    const fresh = entry !== undefined && isFresh(entry, at);
    if (record) {
      const durationMs = performance.now() - started;
      if (fresh) telemetry.hit(key, 'l2', durationMs);
      else telemetry.miss(key, 'l2', durationMs);
    }
    if (entry !== undefined) this.l1?.set(key, entry, at);
    return entry;
  }

  /**
   * Builds what a write stores: with an L2, the value goes through the serializer and L1
   * keeps the decoded copy, so every tier and every caller sees the same value.
   * @throws {ValidationError} when the serializer cannot encode or decode the value.
   */
  prepare(
    value: unknown,
    ttlMs: number,
    graceMs: number,
    now: number,
    where: string,
  ): PreparedWrite {
    const { jitter, serializer } = this.#options;
    const ttl = jitter > 0 ? Math.max(1, Math.round(ttlMs * (1 - jitter * Math.random()))) : ttlMs;
    if (this.#l2 === undefined) {
      return { entry: createEntry(value, now, ttl, graceMs), record: undefined, l2TtlMs: 0 };
    }
    let payload: string;
    let stored: unknown;
    try {
      payload = serializer.serialize(value);
      if (typeof payload !== 'string')
        throw new TypeError('the serializer did not return a string');
      stored = serializer.deserialize(payload);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'the serializer failed';
      const message = `must be serializable by the cache's serializer (${reason})`;
      throw new ValidationError(`${where}: \`value\` ${message}`, {
        cause,
        issues: [{ path: 'value', message, code: 'invalid_argument' }],
        captureStack: false,
      });
    }
    return {
      entry: createEntry(stored, now, ttl, graceMs),
      record: encodeRecord(payload, { graceMs, createdAt: now }),
      l2TtlMs: ttl + graceMs,
    };
  }

  /**
   * Writes L1 at once (synchronously), then L2, resolving when the L2 write settled (within
   * the L2 deadline; failures are published, never thrown).
   */
  async write(key: string, write: PreparedWrite, now: number, signal?: AbortSignal): Promise<void> {
    this.l1?.set(key, write.entry, now);
    const l2 = this.#l2;
    const record = write.record;
    if (l2 === undefined || record === undefined) return;
    const { namespace } = this.#options;
    const pending = l2.guard.run(
      'set',
      key,
      (abortSignal) => l2.store.set(namespace, key, record, write.l2TtlMs, abortSignal),
      signal,
    );
    this.#pendingWrites.add(pending);
    try {
      await pending;
    } finally {
      this.#pendingWrites.delete(pending);
    }
  }

  /** Resolves when every L2 write started so far has settled (each within the L2 deadline). */
  async drain(): Promise<void> {
    await Promise.all([...this.#pendingWrites]);
  }

  /** Drops keys or the whole namespace from both tiers: the one path every invalidation takes. */
  async invalidate(target: Invalidation, signal?: AbortSignal): Promise<void> {
    const l2 = this.#l2;
    const { namespace } = this.#options;
    if ('all' in target) {
      this.l1?.clear();
      if (l2 === undefined) return;
      await l2.guard.run(
        'clear',
        undefined,
        (abortSignal) => l2.store.clear(namespace, abortSignal),
        signal,
      );
      return;
    }
    if (target.keys.length === 0) return;
    for (const key of target.keys) this.l1?.delete(key);
    if (l2 === undefined) return;
    await l2.guard.run(
      'delete',
      target.keys[0],
      (abortSignal) => l2.store.delete(namespace, target.keys, abortSignal),
      signal,
    );
  }

  #decode(key: string, found: L2Record, now: number, guard: L2Guard): CacheEntry | undefined {
    const { serializer, defaultTtlMs, telemetry } = this.#options;
    const record = typeof found.data === 'string' ? decodeRecord(found.data) : undefined;
    let value: unknown;
    try {
      if (record === undefined) throw new Error('not a record written by @rampart/cache');
      value = serializer.deserialize(record.payload);
    } catch (cause) {
      const reason = cause instanceof Error ? cause.message : 'the serializer failed';
      telemetry.l2Error({
        key,
        operation: 'get',
        durationMs: 0,
        error: new InternalError(`L2 record for "${key}" cannot be decoded: ${reason}`, {
          cause,
          captureStack: false,
        }),
        timedOut: false,
        coolingDown: guard.state === 'cooling-down',
      });
      return undefined;
    }
    const remainingMs =
      typeof found.ttlMs === 'number' && found.ttlMs >= 0
        ? found.ttlMs
        : record.graceMs + defaultTtlMs;
    if (remainingMs <= 0) return undefined;
    return createEntry(value, now, remainingMs - record.graceMs, record.graceMs, record.createdAt);
  }
}
