/**
 * How the benchmarks configure the peers: bentocache and cache-manager, each in its
 * documented setup for the scenario, plus a bounded Map for Keyv so cache-manager's L1 can
 * miss like the others' do.
 */
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisDriver } from 'bentocache/drivers/redis';
import { createCache as createCacheManager } from 'cache-manager';
import type { Redis } from 'ioredis';
import { Keyv } from 'keyv';

export const HOUR_MS = 3_600_000;

/** bentocache with only its memory tier; `serialize` is bentocache's own default (true). */
export function bentoMemory(options: { maxItems: number; serialize: boolean }): BentoCache<{
  cache: ReturnType<typeof bentostore>;
}> {
  return new BentoCache({
    default: 'cache',
    stores: {
      cache: bentostore().useL1Layer(
        memoryDriver({ maxItems: options.maxItems, serialize: options.serialize }),
      ),
    },
  });
}

/** bentocache with a memory tier in front of Redis. */
export function bentoTiered(
  connection: Redis,
  maxItems: number,
): BentoCache<{ cache: ReturnType<typeof bentostore> }> {
  return new BentoCache({
    default: 'cache',
    stores: {
      cache: bentostore()
        .useL1Layer(memoryDriver({ maxItems }))
        .useL2Layer(redisDriver({ connection })),
    },
  });
}

/** bentocache with Redis as its only tier (no memory tier in front). */
export function bentoRedisOnly(
  connection: Redis,
): BentoCache<{ cache: ReturnType<typeof bentostore> }> {
  return new BentoCache({
    default: 'cache',
    stores: { cache: bentostore().useL2Layer(redisDriver({ connection })) },
  });
}

/** A Map that keeps only its `limit` most recently written entries. */
export class BoundedMap<Value> extends Map<string, Value> {
  readonly #limit: number;
  constructor(limit: number) {
    super();
    this.#limit = limit;
  }
  override set(key: string, value: Value): this {
    super.delete(key);
    super.set(key, value);
    while (this.size > this.#limit) {
      const oldest = this.keys().next().value;
      if (oldest === undefined) break;
      super.delete(oldest);
    }
    return this;
  }
}

/** cache-manager on Keyv stores (memory first). */
export function cacheManager(stores: Keyv[]): ReturnType<typeof createCacheManager> {
  return createCacheManager({ stores, ttl: HOUR_MS });
}

export { Keyv };
