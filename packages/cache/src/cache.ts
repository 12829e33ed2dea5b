/**
 * Health of the L2 tier: `healthy` (calls reach it), `cooling-down` (calls skip it after
 * repeated failures) or `probing` (one probe decides whether it is back).
 */
export type L2State = 'healthy' | 'cooling-down' | 'probing';

/** A source of time in milliseconds; tests inject a fake one. */
export interface Clock {
  /** The current time in milliseconds. */
  now(): number;
}

/** Options every cache call accepts. */
export interface CallOptions {
  /** Gives up waiting: the call rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

/** Options of {@link Cache.set}. */
export interface SetOptions extends CallOptions {
  /** How long the value is fresh, in milliseconds. @default the cache's `ttlMs` */
  readonly ttlMs?: number;
  /** How long after expiry a stale value may stand in for a failing factory. @default the cache's `graceMs` */
  readonly graceMs?: number;
}

/**
 * Options of {@link Cache.getOrSet}. When callers share one load, the options of the caller
 * that started it apply.
 */
export interface GetOrSetOptions extends SetOptions {
  /**
   * After this many milliseconds of loading, callers with a stale value (within grace) get it
   * while the factory runs on in the background and refreshes the cache.
   * @default the cache's `softTimeoutMs`
   */
  readonly softTimeoutMs?: number;
  /**
   * After this many milliseconds of loading, the factory's signal aborts and callers get the
   * stale value within grace, or a `TimeoutError`.
   * @default the cache's `hardTimeoutMs`
   */
  readonly hardTimeoutMs?: number;
}

/**
 * What a factory passed to {@link Cache.getOrSet} receives. It does not depend on the value
 * type, so TypeScript infers that type from what the factory returns.
 */
export interface FactoryContext {
  /** The key being loaded. */
  readonly key: string;
  /**
   * Aborts when the factory should stop: `hardTimeoutMs` passed (reason: a `TimeoutError`),
   * every waiting caller aborted, or the cache was closed. Pass it on to I/O.
   */
  readonly signal: AbortSignal;
  /**
   * The stale value (past its TTL, within grace) this load will replace, if any, e.g. to
   * send its ETag upstream. Typed `unknown`: it is what the cache held, possibly written by
   * an older version of your code.
   */
  readonly staleValue: unknown;
  /**
   * Sets the fresh TTL of the value being produced, e.g. from the value itself (adaptive
   * caching: a short TTL for a draft, a long one for a published document).
   * @throws {ValidationError} when `ttlMs` is not a positive integer.
   */
  setTtl(ttlMs: number): void;
}

/** Produces the value for a key on a miss; may be async. Returning `undefined` stores nothing. */
export type Factory<T> = (context: FactoryContext) => T | PromiseLike<T>;

/** Options of {@link Cache.wrap}. */
export interface WrapOptions<Args extends readonly unknown[]> {
  /** Builds the cache key from the call's arguments; must return a non-empty string. */
  key(...args: Args): string;
  /** @default the cache's `ttlMs` */
  readonly ttlMs?: number;
  /** @default the cache's `graceMs` */
  readonly graceMs?: number;
  /** @default the cache's `softTimeoutMs` */
  readonly softTimeoutMs?: number;
  /** @default the cache's `hardTimeoutMs` */
  readonly hardTimeoutMs?: number;
}

/** L1 figures in {@link CacheStats}. */
export interface L1Stats {
  /** Lookups that found a fresh value in L1. */
  readonly hits: number;
  /** Lookups that did not (absent, or only stale). */
  readonly misses: number;
  /** Entries held, including expired ones not yet collected. */
  readonly entries: number;
  /** Approximate bytes held. */
  readonly bytes: number;
  /** Entries dropped or not admitted to respect `maxEntries` / `maxBytes`. */
  readonly evictions: number;
}

/** L2 figures in {@link CacheStats}. */
export interface L2Stats {
  /** L2 lookups that found a fresh value (one per load, not per coalesced caller). */
  readonly hits: number;
  /** L2 lookups that did not. */
  readonly misses: number;
  /** Failed L2 calls, timeouts included. */
  readonly errors: number;
  /** L2 calls that ran past `l2TimeoutMs`. */
  readonly timeouts: number;
  /** L2 calls skipped because L2 was cooling down. */
  readonly skipped: number;
  /** `absent` without an L2; else whether calls reach it (`healthy`), skip it, or one probes it. */
  readonly state: L2State | 'absent';
}

/** Factory figures in {@link CacheStats}. */
export interface FactoryStats {
  /** Factory calls started. */
  readonly calls: number;
  /** Calls that threw or rejected. */
  readonly errors: number;
  /** Calls aborted by `hardTimeoutMs`. */
  readonly timeouts: number;
}

/** One snapshot of a cache's counters across tiers, from {@link Cache.stats}. */
export interface CacheStats {
  /** L1 lookups, size and evictions. */
  readonly l1: L1Stats;
  /** L2 lookups, failures and health. */
  readonly l2: L2Stats;
  /** Lookups no tier could answer with a fresh value (a `get` returning `undefined`, a load that ran the factory). */
  readonly misses: number;
  /** Callers served a stale value within grace. */
  readonly staleServed: number;
  /** Callers that joined a load already in flight instead of starting one. */
  readonly coalesced: number;
  /** Factory calls and how they failed. */
  readonly factory: FactoryStats;
}

/** A two-tier cache made by {@link createCache}. */
export interface Cache {
  /** The name used in events and metrics labels. */
  readonly name: string;
  /** The namespace that partitions keys in L2. */
  readonly namespace: string;
  /**
   * The fresh value under `key`, from L1 or else L2 (backfilling L1 with its remaining TTL),
   * or `undefined`. Never waits on L2 longer than `l2TimeoutMs`.
   * @throws {ValidationError} when `key` is not a non-empty string.
   * @throws {UnavailableError} when the cache is closed.
   */
  get<T = unknown>(key: string, options?: CallOptions): Promise<T | undefined>;
  /**
   * Stores `value` in both tiers. L2 failures do not reject (they are counted and published).
   * @throws {ValidationError} when `key` is invalid, `value` is `undefined`, an option is
   *   malformed or the serializer cannot encode `value`.
   * @throws {UnavailableError} when the cache is closed.
   */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /**
   * Whether a fresh value is stored under `key` (in L1, or else in L2).
   * @throws {ValidationError} when `key` is invalid.
   * @throws {UnavailableError} when the cache is closed.
   */
  has(key: string, options?: CallOptions): Promise<boolean>;
  /**
   * Removes `key` from both tiers.
   * @throws {ValidationError} when `key` is invalid.
   * @throws {UnavailableError} when the cache is closed.
   */
  delete(key: string, options?: CallOptions): Promise<void>;
  /**
   * Removes `keys` from both tiers.
   * @throws {ValidationError} when a key is invalid.
   * @throws {UnavailableError} when the cache is closed.
   */
  deleteMany(keys: readonly string[], options?: CallOptions): Promise<void>;
  /**
   * Removes every entry of this cache's namespace from both tiers, and nothing else; in
   * Redis without `KEYS` or `SCAN` (see the guide).
   * @throws {UnavailableError} when the cache is closed.
   */
  clear(options?: CallOptions): Promise<void>;
  /**
   * The fresh value under `key`; on a miss, the value `factory` produces, written to both
   * tiers. Concurrent callers of one key share one L2 lookup and one factory call. Within
   * grace a failing or timed-out factory yields the stale value; otherwise its error
   * propagates unchanged.
   * @throws {TimeoutError} when `hardTimeoutMs` passes without a stale value to serve.
   * @throws {ValidationError} when `key` or an option is invalid, or the serializer cannot
   *   encode the factory's value.
   * @throws {UnavailableError} when the cache is (or gets) closed.
   */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions): Promise<T>;
  /**
   * Returns `fn` cached: each call looks up the key built by `options.key(...args)` and calls
   * `fn` only on a miss (through {@link Cache.getOrSet}).
   * @throws {ValidationError} (from the returned function) when `options.key` returns an
   *   invalid key.
   */
  wrap<Args extends readonly unknown[], Result>(
    fn: (...args: Args) => Result,
    options: WrapOptions<Args>,
  ): (...args: Args) => Promise<Awaited<Result>>;
  /** A snapshot of the counters across tiers. */
  stats(): CacheStats;
  /**
   * Aborts running factories (their callers get an `UnavailableError`), rejects further
   * calls, and resolves once pending L2 writes have settled (within `l2TimeoutMs`). Does not
   * close the Redis client you passed in: quit it after this.
   */
  close(): Promise<void>;
  /** Same as {@link Cache.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
