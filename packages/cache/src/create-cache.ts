import { invalidArgument } from '@rampart/errors';
import type { Cache, CacheStats, Factory } from './cache.ts';
import { type CacheOptions, parseCacheOptions } from './cache-options.ts';
import { checkKey, closedError, readLoadSettings, readSignal } from './internal/call-options.ts';
import { isFresh } from './internal/entry.ts';
import { L2_UNAVAILABLE, L2Guard } from './internal/l2-guard.ts';
import { Loader, type LoadSettings } from './internal/loader.ts';
import { hitChannel, missChannel, Telemetry } from './internal/telemetry.ts';
import { Tiers } from './internal/tiers.ts';
import { claimMemoryStore, memoryStore } from './memory-store.ts';

const DEFAULT_MAX_ENTRIES = 10_000;

/**
 * Creates a two-tier cache: an in-process L1 (`memoryStore`, on by default) in front of an
 * optional shared L2 (`redisStore` from `@rampart/cache/redis`). `getOrSet` loads each
 * missing key once per process however many callers ask at the same time, serves stale
 * values within `graceMs` when the factory fails or is slow, and bounds every L2 call by
 * `l2TimeoutMs`, cooling down when L2 keeps failing: a slow or dead Redis never hangs a
 * caller and never rejects with a client error.
 *
 * @throws {ConfigurationError} naming every malformed option, or when `l1` is a store
 *   another cache already uses.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache, memoryStore } from '@rampart/cache';
 * import { recommendedRedisOptions, redisStore } from '@rampart/cache/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({
 *   namespace: 'users',
 *   ttlMs: 60_000,
 *   graceMs: 10 * 60_000,
 *   softTimeoutMs: 200,
 *   l1: memoryStore({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 }),
 *   l2: redisStore({ client: redis }),
 * });
 *
 * const user = await cache.getOrSet(`user:${id}`, ({ signal }) => db.findUser(id, { signal }));
 * ```
 */
export function createCache(options: CacheOptions): Cache {
  const parsed = parseCacheOptions(options);
  const { namespace, clock } = parsed;
  const name = parsed.name ?? namespace;
  const telemetry = new Telemetry(name, namespace);
  const now = (): number => clock.now();

  const l1Store =
    parsed.l1 === false
      ? undefined
      : (parsed.l1 ?? memoryStore({ maxEntries: DEFAULT_MAX_ENTRIES }));
  const l1 = l1Store === undefined ? undefined : claimMemoryStore(l1Store, 'createCache');
  if (l1 !== undefined) l1.onEvict = (key, reason) => telemetry.eviction(key, reason);

  const guard =
    parsed.l2 === undefined
      ? undefined
      : new L2Guard({
          store: parsed.l2,
          timeoutMs: parsed.l2TimeoutMs,
          cooldownMs: parsed.l2CooldownMs,
          failureThreshold: parsed.l2FailureThreshold,
          clock,
          telemetry,
        });
  const tiers = new Tiers({
    l1,
    l2: parsed.l2 === undefined || guard === undefined ? undefined : { store: parsed.l2, guard },
    namespace,
    serializer: parsed.serializer,
    jitter: parsed.jitter,
    defaultTtlMs: parsed.ttlMs,
    telemetry,
  });
  const loader = new Loader(tiers, telemetry, now);
  const defaults: LoadSettings = {
    ttlMs: parsed.ttlMs,
    graceMs: parsed.graceMs,
    softTimeoutMs: parsed.softTimeoutMs,
    hardTimeoutMs: parsed.hardTimeoutMs,
    graceBackoffMs: parsed.graceBackoffMs,
  };
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw closedError(name);
  };
  const requireKey = (where: string, key: unknown): void => {
    const error = checkKey(where, key);
    if (error !== undefined) throw error;
  };
  const throwIfAborted = (signal: AbortSignal | undefined): void => {
    if (signal?.aborted === true) throw signal.reason;
  };

  const cache: Cache = {
    name,
    namespace,

    getOrSet<T>(key: string, factory: Factory<T>, callOptions?: object): Promise<T> {
      let settings = defaults;
      let signal: AbortSignal | undefined;
      try {
        requireKey('getOrSet', key);
        if (typeof factory !== 'function') {
          throw invalidArgument('getOrSet', 'factory', 'must be a function', factory);
        }
        ensureOpen();
        if (callOptions !== undefined) {
          settings = readLoadSettings('getOrSet', callOptions, defaults);
          signal = readSignal('getOrSet', callOptions);
          throwIfAborted(signal);
        }
      } catch (error) {
        return Promise.reject(error);
      }
      let stale: ReturnType<NonNullable<typeof l1>['get']>;
      if (l1 !== undefined) {
        const timed = hitChannel.hasSubscribers || missChannel.hasSubscribers;
        const started = timed ? performance.now() : 0;
        const at = clock.now();
        const entry = l1.get(key, at);
        if (entry !== undefined) {
          if (entry.expiresAt > at) {
            telemetry.hit(key, 'l1', timed ? performance.now() - started : 0);
            return Promise.resolve(entry.value as T);
          }
          if (entry.retryAt > at) {
            telemetry.miss(key, 'l1', timed ? performance.now() - started : 0);
            telemetry.stale(key, 'l1', 'backoff', at - entry.expiresAt);
            return Promise.resolve(entry.value as T);
          }
          stale = entry;
        }
        telemetry.miss(key, 'l1', timed ? performance.now() - started : 0);
      }
      return loader.load(key, factory as Factory<unknown>, settings, stale, signal) as Promise<T>;
    },

    async get<T = unknown>(key: string, callOptions?: object): Promise<T | undefined> {
      requireKey('get', key);
      ensureOpen();
      const signal = readSignal('get', callOptions);
      throwIfAborted(signal);
      if (l1 !== undefined) {
        const timed = hitChannel.hasSubscribers || missChannel.hasSubscribers;
        const started = timed ? performance.now() : 0;
        const at = clock.now();
        const entry = l1.get(key, at);
        if (entry !== undefined && entry.expiresAt > at) {
          telemetry.hit(key, 'l1', timed ? performance.now() - started : 0);
          return entry.value as T;
        }
        telemetry.miss(key, 'l1', timed ? performance.now() - started : 0);
      }
      const found = tiers.hasL2 ? await tiers.readL2(key, now, signal) : undefined;
      throwIfAborted(signal);
      if (found !== undefined && found !== L2_UNAVAILABLE && isFresh(found, clock.now())) {
        return found.value as T;
      }
      telemetry.counters.misses += 1;
      return undefined;
    },

    async set(key: string, value: unknown, callOptions?: object): Promise<void> {
      requireKey('set', key);
      if (value === undefined) {
        throw invalidArgument(
          'set',
          'value',
          'must not be undefined (use delete to remove a key)',
          value,
        );
      }
      ensureOpen();
      const settings = readLoadSettings('set', callOptions, defaults);
      const signal = readSignal('set', callOptions);
      throwIfAborted(signal);
      const at = clock.now();
      const write = tiers.prepare(value, settings.ttlMs, settings.graceMs, at, 'set');
      loader.supersede([key]);
      await tiers.write(key, write, at, signal);
      throwIfAborted(signal);
    },

    async has(key: string, callOptions?: object): Promise<boolean> {
      requireKey('has', key);
      ensureOpen();
      const signal = readSignal('has', callOptions);
      throwIfAborted(signal);
      const entry = l1?.peek(key, clock.now());
      if (entry !== undefined && isFresh(entry, clock.now())) return true;
      if (!tiers.hasL2) return false;
      const found = await tiers.readL2(key, now, signal, false);
      throwIfAborted(signal);
      return found !== undefined && found !== L2_UNAVAILABLE && isFresh(found, clock.now());
    },

    async delete(key: string, callOptions?: object): Promise<void> {
      requireKey('delete', key);
      ensureOpen();
      const signal = readSignal('delete', callOptions);
      throwIfAborted(signal);
      loader.supersede([key]);
      await tiers.invalidate({ keys: [key] }, signal);
      throwIfAborted(signal);
    },

    async deleteMany(keys: readonly string[], callOptions?: object): Promise<void> {
      if (!Array.isArray(keys))
        throw invalidArgument('deleteMany', 'keys', 'must be an array', keys);
      keys.forEach((key: unknown, index) => {
        const error = checkKey('deleteMany', key, `keys[${index}]`);
        if (error !== undefined) throw error;
      });
      ensureOpen();
      const signal = readSignal('deleteMany', callOptions);
      throwIfAborted(signal);
      const unique = [...new Set(keys)];
      loader.supersede(unique);
      await tiers.invalidate({ keys: unique }, signal);
      throwIfAborted(signal);
    },

    async clear(callOptions?: object): Promise<void> {
      ensureOpen();
      const signal = readSignal('clear', callOptions);
      throwIfAborted(signal);
      loader.supersede('all');
      await tiers.invalidate({ all: true }, signal);
      throwIfAborted(signal);
    },

    wrap<Args extends readonly unknown[], Result>(
      fn: (...args: Args) => Result,
      wrapOptions: { key(...args: Args): string },
    ): (...args: Args) => Promise<Awaited<Result>> {
      if (typeof fn !== 'function') throw invalidArgument('wrap', 'fn', 'must be a function', fn);
      if (typeof wrapOptions !== 'object' || wrapOptions === null) {
        throw invalidArgument('wrap', 'options', 'must be an object', wrapOptions);
      }
      const buildKey = wrapOptions.key;
      if (typeof buildKey !== 'function') {
        throw invalidArgument('wrap', 'options.key', 'must be a function', buildKey);
      }
      const { key: _key, ...rest } = wrapOptions as { key: unknown } & Record<string, unknown>;
      const loadOptions = Object.keys(rest).length === 0 ? undefined : rest;
      if (loadOptions !== undefined) readLoadSettings('wrap', loadOptions, defaults);
      return (...args: Args): Promise<Awaited<Result>> => {
        let key: unknown;
        try {
          key = wrapOptions.key(...args);
        } catch (error) {
          return Promise.reject(error);
        }
        const invalid = checkKey('wrap', key, 'options.key(...args)');
        if (invalid !== undefined) return Promise.reject(invalid);
        return cache.getOrSet<Awaited<Result>>(
          key as string,
          () => fn(...args) as Awaited<Result> | PromiseLike<Awaited<Result>>,
          loadOptions,
        );
      };
    },

    stats(): CacheStats {
      const counters = telemetry.counters;
      return {
        l1: {
          hits: counters.l1Hits,
          misses: counters.l1Misses,
          entries: l1?.size ?? 0,
          bytes: l1?.bytes ?? 0,
          evictions: counters.evictions,
        },
        l2: {
          hits: counters.l2Hits,
          misses: counters.l2Misses,
          errors: counters.l2Errors,
          timeouts: counters.l2Timeouts,
          skipped: counters.l2Skipped,
          state: guard?.state ?? 'absent',
        },
        misses: counters.misses,
        staleServed: counters.staleServed,
        coalesced: counters.coalesced,
        factory: {
          calls: counters.factoryCalls,
          errors: counters.factoryErrors,
          timeouts: counters.factoryTimeouts,
        },
      };
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      loader.abortAll(closedError(name));
      await tiers.drain();
    },

    [Symbol.asyncDispose](): Promise<void> {
      return cache.close();
    },
  };
  return cache;
}
