/**
 * What an {@link L2Store} returns for a key it holds.
 *
 * @group Store implementers
 */
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
 * One key's state as {@link L2Store.readMany} reports it: the record, if any, and the fence a
 * conditional write of that key must present.
 *
 * @group Store implementers
 */
export interface L2Read {
  /** The record, or `undefined` when the key holds none (absent, expired or deleted). */
  readonly record: L2Record | undefined;
  /**
   * An opaque token identifying the key's state at this read. A write that presents it
   * (see {@link L2Write.fence}) must be refused when the key was written without a fence
   * or deleted since.
   */
  readonly fence: string;
}

/**
 * One write of {@link L2Store.writeMany}.
 *
 * @group Store implementers
 */
export interface L2Write {
  /** The cache key. */
  readonly key: string;
  /** The record to store. */
  readonly data: string;
  /** Expiry in milliseconds (a positive integer). */
  readonly ttlMs: number;
  /**
   * For a factory's result: the fence returned by the read that started its load. The store
   * must refuse the write (report `false`) when the key was written without a fence, or
   * deleted, after that read. Without a fence (a `set`) the write always happens and
   * refuses every conditional write whose fence predates it.
   */
  readonly fence?: string | undefined;
}

/**
 * A tag's version in L2: it changes on every invalidation of the tag.
 *
 * @group Store implementers
 */
export interface L2TagVersion {
  /** Changes on hard invalidations only. */
  readonly hard: string;
  /** Changes on every invalidation, hard or soft. */
  readonly soft: string;
}

/**
 * The shared, second tier of a cache: a key-value store with per-key TTLs, partitioned by
 * namespace. `redisStore` from `@rampart/cache/redis` is the built-in one; implement this
 * interface to put the cache in front of another store.
 *
 * The cache calls these methods only through its guard: every call gets a deadline
 * (`storeGuard.timeoutMs`) and its `signal` aborts when the deadline passes or the caller gives up;
 * failures are counted, reported as `l2-error` events and trip a cool-down. So a store may
 * simply reject with whatever its client throws: callers never see it. A store must not
 * hold values for longer than asked, and its calls must take effect in the order they were
 * made (the cache makes them in its callers' program order), and should not take effect at
 * all once their `signal` aborted before they were sent.
 *
 * The optional methods add features: `readMany` and `writeMany` give batch reads and
 * fenced writes (a factory that started before a `delete` never writes its older value);
 * `tagVersions` and `invalidateTags` give tags shared by every instance; the lease methods
 * give a distributed single flight. A store without them keeps working: batches fall back
 * to one call per key, writes are unconditional, tags stay per process, and the lock is
 * per process.
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
 *
 * @group Store implementers
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
   * A cheap health check. When present, the cache probes with it on a timer as soon as a
   * cool-down ends, so `stats().l2.state` is current without a call; without it, the first
   * call after the cool-down is the probe.
   */
  ping?(signal: AbortSignal): Promise<void>;
  /**
   * Reads several keys in one go (as few round trips as the store allows), each with its
   * fence. Results are in the order of `keys`.
   */
  readMany?(namespace: string, keys: readonly string[], signal: AbortSignal): Promise<L2Read[]>;
  /**
   * Writes several records in one go; a write with a fence happens only if the key did not
   * change since the read that returned the fence. Resolves with whether each write
   * happened, in the order of `writes`.
   */
  writeMany?(
    namespace: string,
    writes: readonly L2Write[],
    signal: AbortSignal,
  ): Promise<boolean[]>;
  /**
   * The current versions of `tags` (creating a version for a tag that has none), each kept
   * at least `keepMs` milliseconds from now. In the order of `tags`.
   */
  tagVersions?(
    namespace: string,
    tags: readonly string[],
    keepMs: number,
    signal: AbortSignal,
  ): Promise<L2TagVersion[]>;
  /**
   * Gives each tag a new version: a new `soft` part, and for a hard invalidation a new `hard`
   * part as well. Resolves with the new versions, in the order of `tags`.
   */
  invalidateTags?(
    namespace: string,
    tags: readonly string[],
    mode: 'hard' | 'soft',
    signal: AbortSignal,
  ): Promise<L2TagVersion[]>;
  /** Takes the lease of `key` for `token` unless another token holds it; whether it did. */
  acquireLease?(
    namespace: string,
    key: string,
    token: string,
    leaseMs: number,
    signal: AbortSignal,
  ): Promise<boolean>;
  /** Extends the lease of `key` if `token` still holds it; whether it did. */
  renewLease?(
    namespace: string,
    key: string,
    token: string,
    leaseMs: number,
    signal: AbortSignal,
  ): Promise<boolean>;
  /** Ends the lease of `key` if `token` holds it, and only then. */
  releaseLease?(namespace: string, key: string, token: string, signal: AbortSignal): Promise<void>;
  /**
   * Tells the store that another instance cleared `namespace` (the bus delivered it), or may
   * have (the bus was down), so it drops what it cached about it (e.g. the namespace's
   * generation).
   */
  onRemoteClear?(namespace: string): void;
}
