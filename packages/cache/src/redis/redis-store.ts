import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { L2Record, L2Store } from '../l2-store.ts';
import { checkClientSettings } from './client-settings.ts';
import { Generations } from './generations.ts';
import { isRedisClient, type RedisClient } from './redis-client.ts';
import { RedisClock } from './redis-clock.ts';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis client: `new Redis(…)` (single node or Sentinel) or `new Cluster(…)`. The
   * store never closes it. A client that would queue commands forever while Redis is down
   * is rejected; see {@link recommendedRedisOptions}.
   */
  readonly client: RedisClient;
  /**
   * Prefix of every key the store writes, before the cache's namespace.
   * @default `'rampart:cache:'`
   */
  readonly prefix?: string;
  /**
   * How often each process re-reads a namespace's generation, in milliseconds: a `clear()`
   * in one process reaches the others' L2 reads within this bound.
   * @default 1000 — one small `GET` per namespace per second per process
   */
  readonly generationRefreshMs?: number;
}

const schema = z.strictObject({
  client: z.custom<RedisClient>(isRedisClient, {
    error: 'must be an ioredis Redis or Cluster client',
  }),
  prefix: z
    .string({ error: 'must be a string without "{" or "}"' })
    .regex(/^[^{}]*$/, { error: 'must be a string without "{" or "}"' })
    .default('rampart:cache:'),
  generationRefreshMs: z
    .int({ error: 'must be a positive integer' })
    .positive({ error: 'must be a positive integer' })
    .default(1000),
});

const UNLINK_BATCH = 500;
/** How often the estimate of Redis's clock is re-measured (drift is ppm: this is plenty). */
const CLOCK_RESYNC_MS = 30_000;

/** A stored value: `<expiresAt in Redis time, ms>\n<record>`. */
function readStored(stored: string): { expiresAt: number; data: string } | undefined {
  const newline = stored.indexOf('\n');
  if (newline <= 0) return undefined;
  const expiresAt = Number(stored.slice(0, newline));
  if (!Number.isFinite(expiresAt)) return undefined;
  return { expiresAt, data: stored.slice(newline + 1) };
}

/**
 * Creates the Redis L2 tier for `createCache`, on ioredis: a single node, Sentinel or a
 * Cluster. Each entry is one key, `<prefix><namespace>:<generation>:{<key>}`, written with
 * `SET … PX` and read with a plain `GET` (one round trip each). The value carries its expiry
 * in Redis's own clock (measured with `TIME`, carried forward by this process's monotonic
 * clock), so the remaining TTL that L1 is backfilled with does not depend on any app
 * server's wall clock. The hash tag keeps every key derived from one cache key in one
 * Cluster slot. `clear()` switches the namespace to a new generation instead of scanning
 * for keys.
 *
 * @throws {ConfigurationError} when an option is malformed, or the client would queue
 *   commands forever while Redis is down (`enableOfflineQueue: true` with
 *   `maxRetriesPerRequest: null`). A Cluster client with its offline queue on gets a
 *   process warning.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache } from '@rampart/cache';
 * import { recommendedRedisOptions, redisStore } from '@rampart/cache/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({ namespace: 'catalog', ttlMs: 30_000, l2: redisStore({ client }) });
 * // …
 * await cache.close();
 * await client.quit();
 * ```
 */
export function redisStore(options: RedisStoreOptions): L2Store {
  const { client, prefix, generationRefreshMs } = parseOptions(schema, options, 'redisStore');
  checkClientSettings(client, 'redisStore');
  if (client.status === 'wait') {
    // A lazyConnect client: connect now so the first cache call does not pay for it.
    client.connect().catch(() => {
      // Connection errors surface as failed L2 calls; ioredis keeps retrying.
    });
  }
  const generations = new Generations(client, prefix, generationRefreshMs);
  const clock = new RedisClock(client, CLOCK_RESYNC_MS);
  const dataKey = (namespace: string, generation: string, key: string): string =>
    `${prefix}${namespace}:${generation}:{${key}}`;
  const keysOf = async (namespace: string, keys: readonly string[]): Promise<string[]> => {
    const current = generations.current(namespace);
    const generation = typeof current === 'string' ? current : await current;
    return keys.map((key) => dataKey(namespace, generation, key));
  };

  return {
    async get(namespace, key): Promise<L2Record | undefined> {
      const [redisKey = ''] = await keysOf(namespace, [key]);
      const stored = await client.get(redisKey);
      if (stored === null) return undefined;
      const record = readStored(stored);
      if (record === undefined) return { data: stored, ttlMs: undefined };
      const now = clock.now();
      const ttlMs = record.expiresAt - (typeof now === 'number' ? now : await now);
      return ttlMs > 0 ? { data: record.data, ttlMs } : undefined;
    },

    async set(namespace, key, data, ttlMs): Promise<void> {
      const [redisKey = ''] = await keysOf(namespace, [key]);
      const now = clock.now();
      const expiresAt = Math.round((typeof now === 'number' ? now : await now) + ttlMs);
      await client.set(redisKey, `${expiresAt}\n${data}`, 'PX', Math.max(1, Math.ceil(ttlMs)));
    },

    async delete(namespace, keys): Promise<void> {
      const redisKeys = await keysOf(namespace, keys);
      if (client.isCluster) {
        // Keys of different slots cannot share a command on a Cluster.
        await Promise.all(redisKeys.map((redisKey) => client.unlink(redisKey)));
        return;
      }
      for (let start = 0; start < redisKeys.length; start += UNLINK_BATCH) {
        await client.unlink(...redisKeys.slice(start, start + UNLINK_BATCH));
      }
    },

    async clear(namespace): Promise<void> {
      await generations.replace(namespace);
    },

    async ping(): Promise<void> {
      // A probe that also re-syncs the clock: after an outage Redis may be a new process.
      await clock.sync();
    },
  };
}
