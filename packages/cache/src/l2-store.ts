/** What an {@link L2Store} returns for a key it holds. */
export interface L2Record {
  /** The record exactly as it was written. */
  readonly data: string;
  /**
   * Milliseconds until the store expires the record, by the store's own clock (Redis `PTTL`),
   * so the cache computes the remaining TTL without trusting any app server's clock;
   * `undefined` when the record does not expire.
   */
  readonly ttlMs: number | undefined;
}

/**
 * The shared, second tier of a cache: a key-value store with per-key TTLs, partitioned by
 * namespace. `redisStore` from `@rampart/cache/redis` is the built-in one; implement this
 * interface to put the cache in front of another store.
 *
 * The cache calls these methods only through its guard: every call gets a deadline
 * (`l2TimeoutMs`) and its `signal` aborts when the deadline passes or the caller gives up;
 * failures are counted, reported as `l2-error` events and trip a cool-down. So a store may
 * simply reject with whatever its client throws: callers never see it. A store must not
 * hold values for longer than asked.
 *
 * Future versions may add optional methods (batch reads, conditional writes, tag
 * invalidation); stores without them keep working.
 *
 * @example
 * ```ts
 * import type { L2Store } from '@rampart/cache';
 *
 * const records = new Map<string, { data: string; expiresAt: number }>();
 * const mapStore: L2Store = {
 *   async get(namespace, key) {
 *     const record = records.get(`${namespace}:${key}`);
 *     if (record === undefined || record.expiresAt <= Date.now()) return undefined;
 *     return { data: record.data, ttlMs: record.expiresAt - Date.now() };
 *   },
 *   async set(namespace, key, data, ttlMs) {
 *     records.set(`${namespace}:${key}`, { data, expiresAt: Date.now() + ttlMs });
 *   },
 *   async delete(namespace, keys) {
 *     for (const key of keys) records.delete(`${namespace}:${key}`);
 *   },
 *   async clear(namespace) {
 *     for (const key of records.keys()) if (key.startsWith(`${namespace}:`)) records.delete(key);
 *   },
 * };
 * ```
 */
export interface L2Store {
  /** The record stored under `key` in `namespace`, or `undefined`. */
  get(namespace: string, key: string, signal: AbortSignal): Promise<L2Record | undefined>;
  /** Stores `data` under `key`, expiring after `ttlMs` (a positive integer). */
  set(
    namespace: string,
    key: string,
    data: string,
    ttlMs: number,
    signal: AbortSignal,
  ): Promise<void>;
  /** Removes `keys` (one or more) from `namespace`. */
  delete(namespace: string, keys: readonly string[], signal: AbortSignal): Promise<void>;
  /** Removes every record of `namespace`, and only those. */
  clear(namespace: string, signal: AbortSignal): Promise<void>;
  /**
   * A cheap health check. When present, the cache probes with it in the background after a
   * cool-down instead of letting a caller's call be the probe.
   */
  ping?(signal: AbortSignal): Promise<void>;
}
