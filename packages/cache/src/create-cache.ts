import { invalidArgument } from '@rampart/errors';
import type { Cache, Factory, ManyFactory } from './cache.ts';
import { type CacheOptions, parseCacheOptions } from './cache-options.ts';
import type { CacheStats } from './cache-stats.ts';
import {
  checkKey,
  closedError,
  readLoadSettings,
  readSignal,
  readTags,
} from './internal/call-options.ts';
import { createComponents } from './internal/components.ts';
import type { CacheEntry } from './internal/entry.ts';
import { type L1Answer, readL1, shouldRefreshEarly } from './internal/l1-read.ts';
import { L2_UNAVAILABLE } from './internal/l2-guard.ts';
import type { LoadSettings } from './internal/loader.ts';
import { KeyOrder } from './internal/order/key-order.ts';
import { setTagged } from './internal/order/tagged-set.ts';
import { snapshotStats } from './internal/stats-snapshot.ts';
import { wrapFunction } from './internal/wrap-function.ts';

/**
 * Creates a two-tier cache: an in-process L1 (`memoryStore`, on by default) in front of an
 * optional shared L2 (`redisStore` from `@rampart/cache/redis`). `getOrSet` loads each
 * missing key once per process however many callers ask at the same time (once across
 * instances with `distributedLock`), serves stale values within `graceMs` when the factory
 * fails or is slow, and bounds every L2 call by `storeGuard.timeoutMs`, cooling down when L2 keeps
 * failing: a slow or dead Redis never hangs a caller and never rejects with a client error.
 * With a `bus` (`redisBus`), every write and invalidation reaches the other instances' L1;
 * tags, batches, fencing and early refresh come with it.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every malformed option, or when `l1` is a store
 *   another cache already uses.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache, memoryStore } from '@rampart/cache';
 * import { recommendedRedisOptions, redisBus, redisStore } from '@rampart/cache/redis';
 *
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({
 *   namespace: 'users',
 *   ttlMs: 60_000,
 *   graceMs: 10 * 60_000,
 *   softTimeoutMs: 200,
 *   l1: memoryStore({ maxEntries: 10_000, maxBytes: 32 * 1024 * 1024 }),
 *   l2: redisStore({ client: redis }),
 *   bus: redisBus({ client: redis }),
 *   distributedLock: true,
 * });
 *
 * const user = await cache.getOrSet(`user:${id}`, ({ signal }) => db.findUser(id, { signal }), {
 *   tags: [`team:${teamId}`],
 * });
 * await cache.deleteByTag(`team:${teamId}`); // gone from every tier and instance
 * ```
 */
export function createCache(options: CacheOptions): Cache {
  const parsed = parseCacheOptions(options);
  const { namespace, clock } = parsed;
  const parts = createComponents(parsed);
  const { name, telemetry, l1, link, tiers, loader, batches, leases, defaults, beta } = parts;
  const now = (): number => clock.now();
  // Operations on one key take effect in the order they were called (see KeyOrder).
  const order = new KeyOrder();
  let closed = false;

  const ensureOpen = (): void => {
    if (closed) throw closedError(name);
  };
  const requireKey = (where: string, key: unknown): void => {
    const error = checkKey(where, key);
    if (error !== undefined) throw error;
  };
  const requireKeys = (where: string, keys: unknown): readonly string[] => {
    if (!Array.isArray(keys)) throw invalidArgument(where, 'keys', 'must be an array', keys);
    keys.forEach((key: unknown, index) => {
      const error = checkKey(where, key, `keys[${index}]`);
      if (error !== undefined) throw error;
    });
    return keys as readonly string[];
  };
  const throwIfAborted = (signal: AbortSignal | undefined): void => {
    if (signal?.aborted === true) throw signal.reason;
  };
  // Tags need versions every instance shares: in L2 when there is one, else per process.
  const store = parsed.l2;
  const tagsSupported =
    store === undefined || (store.tagVersions !== undefined && store.invalidateTags !== undefined);
  const requireTagSupport = (where: string, path: string, tags: readonly string[]): void => {
    if (tags.length === 0 || tagsSupported) return;
    throw invalidArgument(
      where,
      path,
      'needs an l2 store with tags (tagVersions, invalidateTags), e.g. redisStore()',
      tags,
    );
  };
  const loadSettings = (where: string, callOptions: unknown): LoadSettings => {
    const settings = readLoadSettings(where, callOptions, defaults);
    requireTagSupport(where, 'options.tags', settings.tags);
    if (settings.distributedLock && !leases.available) {
      throw invalidArgument(
        where,
        'options.distributedLock',
        'needs an l2 store with leases (e.g. redisStore())',
        true,
      );
    }
    return settings;
  };
  const load = <T>(
    key: string,
    factory: Factory<T>,
    settings: LoadSettings,
    found: L1Answer,
    signal: AbortSignal | undefined,
  ): Promise<T> => {
    if (found.kind === 'hit' || found.kind === 'backoff') {
      if (found.kind === 'hit' && settings.earlyRefresh) {
        refreshEarly(key, factory as Factory<unknown>, settings, found.entry);
      }
      return Promise.resolve(found.entry.value as T);
    }
    const stale = found.kind === 'stale' ? found.entry : undefined;
    return loader.load(key, factory as Factory<unknown>, settings, stale, signal) as Promise<T>;
  };
  const refreshEarly = (
    key: string,
    factory: Factory<unknown>,
    settings: LoadSettings,
    entry: CacheEntry,
  ): void => {
    if (shouldRefreshEarly(entry, clock.now(), beta)) loader.refresh(key, factory, settings, entry);
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
          settings = loadSettings('getOrSet', callOptions);
          signal = readSignal('getOrSet', callOptions);
          throwIfAborted(signal);
        }
      } catch (error) {
        return Promise.reject(error);
      }
      const pending = order.pending(key);
      if (pending !== undefined) return Promise.resolve(pending.value as T);
      const found = readL1(tiers, telemetry, key, now, true, signal);
      if (!(found instanceof Promise)) return load(key, factory, settings, found, signal);
      return found.then((answer) => load(key, factory, settings, answer, signal));
    },

    async get<T = unknown>(key: string, callOptions?: object): Promise<T | undefined> {
      requireKey('get', key);
      ensureOpen();
      const signal = readSignal('get', callOptions);
      throwIfAborted(signal);
      const pending = order.pending(key);
      if (pending !== undefined) return pending.value as T;
      let found = readL1(tiers, telemetry, key, now, false, signal);
      if (found instanceof Promise) found = await found;
      if (found.kind === 'hit') return found.entry.value as T;
      const looked = tiers.hasL2 ? await tiers.lookup(key, signal) : L2_UNAVAILABLE;
      throwIfAborted(signal);
      if (looked !== L2_UNAVAILABLE && looked.fresh) return looked.entry?.value as T;
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
      requireTagSupport('set', 'options.tags', settings.tags);
      const signal = readSignal('set', callOptions);
      throwIfAborted(signal);
      if (settings.tags.length > 0) {
        loader.supersede([key]);
        await setTagged({ order, tiers, tags: parts.tags, clock }, key, value, settings, signal);
      } else {
        const at = clock.now();
        const write = tiers.codec.prepare(value, settings.ttlMs, settings.graceMs, at, 'set');
        order.overwrite([key]);
        loader.supersede([key]);
        await tiers.write(key, write, at, signal);
      }
      throwIfAborted(signal);
    },

    async has(key: string, callOptions?: object): Promise<boolean> {
      requireKey('has', key);
      ensureOpen();
      const signal = readSignal('has', callOptions);
      throwIfAborted(signal);
      if (order.pending(key) !== undefined) return true;
      const entry = l1?.peek(key, clock.now());
      if (entry !== undefined && (await tiers.verify(entry, signal)) === 'fresh') return true;
      if (!tiers.hasL2) return false;
      const looked = await tiers.lookup(key, signal, false);
      throwIfAborted(signal);
      return looked !== L2_UNAVAILABLE && looked.fresh;
    },

    async delete(key: string, callOptions?: object): Promise<void> {
      requireKey('delete', key);
      ensureOpen();
      const signal = readSignal('delete', callOptions);
      throwIfAborted(signal);
      order.overwrite([key]);
      loader.supersede([key]);
      await tiers.invalidate({ keys: [key] }, signal);
      throwIfAborted(signal);
    },

    async deleteMany(keys: readonly string[], callOptions?: object): Promise<void> {
      requireKeys('deleteMany', keys);
      ensureOpen();
      const signal = readSignal('deleteMany', callOptions);
      throwIfAborted(signal);
      const unique = [...new Set(keys)];
      order.overwrite(unique);
      loader.supersede(unique);
      await tiers.invalidate({ keys: unique }, signal);
      throwIfAborted(signal);
    },

    async clear(callOptions?: object): Promise<void> {
      ensureOpen();
      const signal = readSignal('clear', callOptions);
      throwIfAborted(signal);
      order.clear();
      loader.supersede('all');
      await tiers.invalidate({ all: true }, signal);
      throwIfAborted(signal);
    },

    async deleteByTag(tags: string | readonly string[], callOptions?: object): Promise<void> {
      const list = readTags('deleteByTag', typeof tags === 'string' ? [tags] : tags, 'tags');
      requireTagSupport('deleteByTag', 'tags', list);
      ensureOpen();
      const signal = readSignal('deleteByTag', callOptions);
      throwIfAborted(signal);
      const soft = (callOptions as { soft?: unknown } | undefined)?.soft;
      if (soft !== undefined && typeof soft !== 'boolean') {
        throw invalidArgument('deleteByTag', 'options.soft', 'must be a boolean', soft);
      }
      if (list.length === 0) return;
      // A tagged `set` still reading its tags' versions was called first: its value is
      // invalidated with the tag, so the key is deleted (see KeyOrder).
      const pendingKeys = order.taggedWith(list);
      order.overwrite(pendingKeys);
      loader.supersedeTags(list);
      await Promise.all([
        pendingKeys.length === 0 ? undefined : tiers.invalidate({ keys: pendingKeys }, signal),
        tiers.invalidateTags(list, soft === true ? 'soft' : 'hard', signal),
      ]);
      throwIfAborted(signal);
    },

    async getMany<T = unknown>(
      keys: readonly string[],
      callOptions?: object,
    ): Promise<(T | undefined)[]> {
      requireKeys('getMany', keys);
      ensureOpen();
      const signal = readSignal('getMany', callOptions);
      throwIfAborted(signal);
      const { answered: byKey, rest } = order.split([...new Set(keys)]);
      const values = rest.length === 0 ? [] : await batches.getMany(rest, signal);
      throwIfAborted(signal);
      for (const [index, key] of rest.entries()) byKey.set(key, values[index]);
      return keys.map((key) => byKey.get(key) as T | undefined);
    },

    async getOrSetMany<T>(
      keys: readonly string[],
      factory: ManyFactory<T>,
      callOptions?: object,
    ): Promise<(T | undefined)[]> {
      requireKeys('getOrSetMany', keys);
      if (typeof factory !== 'function') {
        throw invalidArgument('getOrSetMany', 'factory', 'must be a function', factory);
      }
      ensureOpen();
      const settings = {
        ...readLoadSettings('getOrSetMany', callOptions, defaults),
        distributedLock: false,
        earlyRefresh: false,
      };
      requireTagSupport('getOrSetMany', 'options.tags', settings.tags);
      const signal = readSignal('getOrSetMany', callOptions);
      throwIfAborted(signal);
      const { answered: byKey, rest } = order.split([...new Set(keys)]);
      if (rest.length > 0) {
        const values = await batches.loadMany(
          rest,
          factory as ManyFactory<unknown>,
          settings,
          signal,
        );
        for (const [index, key] of rest.entries()) byKey.set(key, values[index]);
      }
      return keys.map((key) => byKey.get(key) as T | undefined);
    },

    wrap<Args extends readonly unknown[], Result>(
      fn: (...args: Args) => Result,
      wrapOptions: { key(...args: Args): string },
    ): (...args: Args) => Promise<Awaited<Result>> {
      return wrapFunction(cache, fn, wrapOptions, (loadOptions) =>
        loadSettings('wrap', loadOptions),
      );
    },

    stats(): CacheStats {
      return snapshotStats(parts);
    },

    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      loader.abortAll(closedError(name));
      await tiers.drain();
      await leases.drain();
      await link.close();
      parts.guard?.close();
    },

    [Symbol.asyncDispose](): Promise<void> {
      return cache.close();
    },
  };
  return cache;
}
