import type { CacheStats } from './cache-stats.ts';

export type { Clock } from '@rampart/errors';

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
  /**
   * Tags of the value: {@link Cache.deleteByTag} of any of them invalidates it in every tier
   * and every instance.
   * @default none
   */
  readonly tags?: readonly string[];
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
  /**
   * Takes the key's distributed lock (a lease in L2) so one instance at a time calls the
   * factory; the others wait for its value, or get the stale value within grace.
   * @default the cache's `distributedLock`
   */
  readonly distributedLock?: boolean;
  /**
   * Lets an L1 hit refresh the value in the background before it expires (XFetch: the
   * closer to expiry and the slower the factory, the likelier).
   * @default the cache's `earlyRefresh`
   */
  readonly earlyRefresh?: boolean;
}

/** Options of {@link Cache.getOrSetMany}. */
export interface GetOrSetManyOptions extends SetOptions {
  /** @default the cache's `softTimeoutMs` */
  readonly softTimeoutMs?: number;
  /** @default the cache's `hardTimeoutMs` */
  readonly hardTimeoutMs?: number;
}

/** Options of {@link Cache.deleteByTag}. */
export interface DeleteByTagOptions extends CallOptions {
  /**
   * A soft invalidation: the tagged values become stale instead of gone, so `getOrSet` may
   * still serve them within grace while the factory fails or is slow.
   * @default `false` — a deleted tag's values are never served, not even from grace
   */
  readonly soft?: boolean;
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
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `ttlMs` is not a positive integer.
   */
  setTtl(ttlMs: number): void;
}

/** Produces the value for a key on a miss; may be async. Returning `undefined` stores nothing. */
export type Factory<T> = (context: FactoryContext) => T | PromiseLike<T>;

/** What a factory passed to {@link Cache.getOrSetMany} receives. */
export interface ManyFactoryContext {
  /** The keys to load: those no tier had fresh and no other load was already loading. */
  readonly keys: readonly string[];
  /**
   * Aborts when the factory should stop: every waiting caller aborted, `hardTimeoutMs`
   * passed for every key, or the cache was closed. Pass it on to I/O.
   */
  readonly signal: AbortSignal;
  /** The stale values (within grace) of the keys being loaded, by key. */
  readonly staleValues: ReadonlyMap<string, unknown>;
}

/** The values a {@link ManyFactory} produced, by key: a `Map` or a plain object. */
export type ManyValues<T> = ReadonlyMap<string, T> | Readonly<Record<string, T>>;

/**
 * Produces the values of several keys in one call (e.g. one `SELECT … WHERE id IN (…)`).
 * Keys it leaves out (or maps to `undefined`) are not stored and come back `undefined`.
 */
export type ManyFactory<T> = (
  context: ManyFactoryContext,
) => ManyValues<T> | PromiseLike<ManyValues<T>>;

/** Options of {@link Cache.wrap}. */
export interface WrapOptions<Args extends readonly unknown[]> {
  /** Builds the cache key from the call's arguments; must return a non-empty, well-formed string. */
  key(...args: Args): string;
  /** @default the cache's `ttlMs` */
  readonly ttlMs?: number;
  /** @default the cache's `graceMs` */
  readonly graceMs?: number;
  /** @default the cache's `softTimeoutMs` */
  readonly softTimeoutMs?: number;
  /** @default the cache's `hardTimeoutMs` */
  readonly hardTimeoutMs?: number;
  /** @default none */
  readonly tags?: readonly string[];
  /** @default the cache's `distributedLock` */
  readonly distributedLock?: boolean;
  /** @default the cache's `earlyRefresh` */
  readonly earlyRefresh?: boolean;
}

/** A two-tier cache made by {@link createCache}. */
export interface Cache {
  /** The name used in events and metrics labels. */
  readonly name: string;
  /** The namespace that partitions keys in L2. */
  readonly namespace: string;
  /**
   * The fresh value under `key`, from L1 or else L2 (backfilling L1 with its remaining TTL),
   * or `undefined`. Never waits on L2 longer than `storeGuard.timeoutMs`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `key` is not a non-empty, well-formed string.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  get<T = unknown>(key: string, options?: CallOptions): Promise<T | undefined>;
  /**
   * Stores `value` in both tiers. L2 failures do not reject (they are counted and published).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `key` is invalid, `value` is `undefined`, an option is
   *   malformed or the serializer cannot encode `value`.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  set(key: string, value: unknown, options?: SetOptions): Promise<void>;
  /**
   * Whether a fresh value is stored under `key` (in L1, or else in L2).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `key` is invalid.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  has(key: string, options?: CallOptions): Promise<boolean>;
  /**
   * Removes `key` from both tiers.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `key` is invalid.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  delete(key: string, options?: CallOptions): Promise<void>;
  /**
   * Removes `keys` from both tiers.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a key is invalid.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  deleteMany(keys: readonly string[], options?: CallOptions): Promise<void>;
  /**
   * Removes every entry of this cache's namespace from both tiers, and nothing else; in
   * Redis without `KEYS` or `SCAN` (see the guide). With a bus, other instances drop their
   * L1 at once.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  clear(options?: CallOptions): Promise<void>;
  /**
   * Invalidates every value tagged with `tags` (one tag or several) in both tiers and, with a
   * bus, in every instance, without scanning keys: the tags get new versions, and values
   * recorded with an older version are no longer served — not even from grace, unless
   * `soft` is set. A load that started before this never writes its value afterwards.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a tag is not a non-empty, well-formed string.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  deleteByTag(tags: string | readonly string[], options?: DeleteByTagOptions): Promise<void>;
  /**
   * The fresh values of `keys`, in their order (`undefined` for a miss): one L1 pass, then
   * one L2 read for the L1 misses (one `MGET` per slot on a Redis Cluster). Never serves a
   * stale value.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `keys` is not an array of non-empty, well-formed strings.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is closed.
   */
  getMany<T = unknown>(keys: readonly string[], options?: CallOptions): Promise<(T | undefined)[]>;
  /**
   * The values of `keys`, in their order: fresh ones from L1, then from L2 in one read; the
   * rest from one call of `factory` with the missing keys, written back to both tiers. Keys
   * already being loaded (by `getOrSet` or another batch) join that load instead, and
   * concurrent `getOrSet` calls join this one's. Grace and timeouts apply per key; the
   * distributed lock does not (batches coalesce per process).
   * @throws {@link @rampart/errors!TimeoutError | TimeoutError} for a key whose `hardTimeoutMs` passed without a stale value.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a key or option is invalid, the factory returns neither a
   *   `Map` nor an object, or the serializer cannot encode a value.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is (or gets) closed.
   */
  getOrSetMany<T>(
    keys: readonly string[],
    factory: ManyFactory<T>,
    options?: GetOrSetManyOptions,
  ): Promise<(T | undefined)[]>;
  /**
   * The fresh value under `key`; on a miss, the value `factory` produces, written to both
   * tiers. Concurrent callers of one key share one L2 lookup and one factory call. Within
   * grace a failing or timed-out factory yields the stale value; otherwise its error
   * propagates unchanged.
   * @throws {@link @rampart/errors!TimeoutError | TimeoutError} when `hardTimeoutMs` passes without a stale value to serve.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `key` or an option is invalid, or the serializer cannot
   *   encode the factory's value.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} when the cache is (or gets) closed.
   */
  getOrSet<T>(key: string, factory: Factory<T>, options?: GetOrSetOptions): Promise<T>;
  /**
   * Returns `fn` cached: each call looks up the key built by `options.key(...args)` and calls
   * `fn` only on a miss (through {@link Cache.getOrSet}).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (from the returned function) when `options.key` returns an
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
   * calls, and resolves once pending L2 writes have settled (within `storeGuard.timeoutMs`). Does not
   * close the Redis client you passed in: quit it after this.
   */
  close(): Promise<void>;
  /** Same as {@link Cache.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
