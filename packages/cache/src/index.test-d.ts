import { describe, expectTypeOf, it } from 'vitest';
import {
  type CacheBus,
  type CacheStats,
  type CacheTier,
  cacheChannels,
  createCache,
  type FactoryContext,
  type L2Store,
  type ManyFactoryContext,
  memoryStore,
  type StoreHealth,
  type StoreState,
  type StoreStateEvent,
} from './index.ts';
import { type RedisClient, recommendedRedisOptions, redisBus, redisStore } from './redis.ts';

const cache = createCache({ ttlMs: 1000, l1: memoryStore({ maxEntries: 10 }) });

describe('types', () => {
  it('infers the value type of getOrSet from the factory', () => {
    expectTypeOf(cache.getOrSet('k', () => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(cache.getOrSet('k', async () => ({ id: 'a' }))).toEqualTypeOf<
      Promise<{ id: string }>
    >();
    const loaded = cache.getOrSet('k', (context) => {
      expectTypeOf(context).toEqualTypeOf<FactoryContext>();
      expectTypeOf(context.staleValue).toEqualTypeOf<unknown>();
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
      return 'value';
    });
    expectTypeOf(loaded).toEqualTypeOf<Promise<string>>();
    const fetched = cache.getOrSet('k', async ({ signal, setTtl }) => {
      setTtl(10);
      return { aborted: signal.aborted };
    });
    expectTypeOf(fetched).toEqualTypeOf<Promise<{ aborted: boolean }>>();
  });

  it('keeps the arguments of a wrapped function and makes it async', () => {
    const wrapped = cache.wrap((id: number, name: string) => ({ id, name }), {
      key: (id, name) => {
        expectTypeOf(id).toEqualTypeOf<number>();
        expectTypeOf(name).toEqualTypeOf<string>();
        return `${id}:${name}`;
      },
    });
    expectTypeOf(wrapped).toEqualTypeOf<
      (id: number, name: string) => Promise<{ id: number; name: string }>
    >();
    const wrappedAsync = cache.wrap(async (id: number) => [id], { key: String });
    expectTypeOf(wrappedAsync).returns.toEqualTypeOf<Promise<number[]>>();
  });

  it('types get with an explicit value type, defaulting to unknown', () => {
    expectTypeOf(cache.get('k')).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(cache.get<string>('k')).toEqualTypeOf<Promise<string | undefined>>();
  });

  it('exposes literal channel names and a typed stats snapshot', () => {
    expectTypeOf(cacheChannels.hit).toEqualTypeOf<'rampart:cache:hit'>();
    expectTypeOf(cacheChannels.l2Error).toEqualTypeOf<'rampart:cache:l2-error'>();
    expectTypeOf(cache.stats()).toEqualTypeOf<CacheStats>();
    expectTypeOf<CacheStats['l1']['hits']>().toEqualTypeOf<number>();
    expectTypeOf<CacheTier>().toEqualTypeOf<'l1' | 'l2'>();
  });

  it('makes redisStore an L2Store taking an ioredis client', () => {
    expectTypeOf(redisStore).parameter(0).toHaveProperty('client').toEqualTypeOf<RedisClient>();
    expectTypeOf(redisStore).returns.toEqualTypeOf<L2Store>();
    expectTypeOf(recommendedRedisOptions.enableOfflineQueue).toEqualTypeOf<false>();
  });

  it('infers the value type of getOrSetMany from a Map or an object', () => {
    const fromMap = cache.getOrSetMany(['a', 'b'], async ({ keys }) => {
      expectTypeOf(keys).toEqualTypeOf<readonly string[]>();
      return new Map(keys.map((key) => [key, { id: key }]));
    });
    expectTypeOf(fromMap).toEqualTypeOf<Promise<({ id: string } | undefined)[]>>();
    const fromObject = cache.getOrSetMany(['a'], (context) => {
      expectTypeOf(context).toEqualTypeOf<ManyFactoryContext>();
      return { a: 1 };
    });
    expectTypeOf(fromObject).toEqualTypeOf<Promise<(number | undefined)[]>>();
    expectTypeOf(cache.getMany<string>(['a'])).toEqualTypeOf<Promise<(string | undefined)[]>>();
  });

  it('takes one tag or several, and tags and lock options per call', () => {
    expectTypeOf(cache.deleteByTag('a')).toEqualTypeOf<Promise<void>>();
    expectTypeOf(cache.deleteByTag(['a', 'b'], { soft: true })).toEqualTypeOf<Promise<void>>();
    cache.getOrSet('k', () => 1, { tags: ['a'], distributedLock: true, earlyRefresh: false });
    cache.set('k', 1, { tags: ['a'] });
    // @ts-expect-error tags are strings
    cache.set('k', 1, { tags: [1] });
  });

  it('reports L2 health in the shared store-guard shapes', () => {
    expectTypeOf(cache.stats().l2.state).toEqualTypeOf<StoreState | 'absent'>();
    expectTypeOf(cache.stats().l2.health).toEqualTypeOf<StoreHealth | undefined>();
    expectTypeOf<StoreState>().toEqualTypeOf<'healthy' | 'cooling-down' | 'probing'>();
    expectTypeOf(cacheChannels.storeState).toEqualTypeOf<'rampart:cache:store-state'>();
    expectTypeOf<StoreStateEvent['health']>().toEqualTypeOf<StoreHealth>();
    // @ts-expect-error a guard setting has a number type
    createCache({ ttlMs: 1, storeGuard: { timeoutMs: '100' } });
  });

  it('makes redisBus a CacheBus taking an ioredis client', () => {
    expectTypeOf(redisBus).parameter(0).toHaveProperty('client').toEqualTypeOf<RedisClient>();
    expectTypeOf(redisBus).returns.toEqualTypeOf<CacheBus>();
    expectTypeOf(cache.stats().bus.state).toEqualTypeOf<'connected' | 'disconnected' | 'absent'>();
  });

  it('rejects options of the wrong type', () => {
    // @ts-expect-error ttlMs is required
    createCache({});
    // @ts-expect-error ttlMs is a number
    createCache({ ttlMs: '1s' });
    // @ts-expect-error l1 is a memory store or false
    createCache({ ttlMs: 1, l1: true });
    // @ts-expect-error busDownTtlMs is a number
    createCache({ ttlMs: 1, busDownTtlMs: '5s' });
    // @ts-expect-error distributedLock is a boolean or settings
    createCache({ ttlMs: 1, distributedLock: 'yes' });
  });
});
