import { parseOptions } from '@rampart/errors';
import type { Cluster, Redis } from 'ioredis';
import * as z from 'zod';
import type { CacheBus, CacheBusHandlers, CacheBusSubscription } from '../bus.ts';
import { BusSubscriber, type PubSubMode } from './bus-subscriber.ts';
import { checkClientSettings } from './client-settings.ts';
import { isRedisClient, type RedisClient } from './redis-client.ts';

/** Options of {@link redisBus}. */
export interface RedisBusOptions {
  /**
   * The ioredis client to publish with (the one the store uses is fine). The bus opens its
   * own subscriber connection per cache from its settings (ioredis needs a dedicated
   * connection to subscribe) and never closes this client.
   */
  readonly client: RedisClient;
  /**
   * Prefix of the channels: each namespace has `<prefix><namespace>:bus`.
   * @default `'rampart:cache:'`
   */
  readonly prefix?: string;
  /**
   * How often the subscriber connection is checked with a `PING`, in milliseconds; one not
   * answered within this time counts as lost (a hung server), and the connection is rebuilt.
   * Keep it well below the caches' `busDownTtlMs`.
   * @default `1000`
   */
  readonly heartbeatMs?: number;
  /**
   * The `CLIENT SETNAME` of the subscriber connections.
   * @default the client's `connectionName` followed by `:bus`, or `rampart-cache-bus`
   */
  readonly connectionName?: string;
}

const schema = z.strictObject({
  client: z.custom<RedisClient>(isRedisClient, {
    error: 'must be an ioredis Redis or Cluster client',
  }),
  prefix: z.string({ error: 'must be a string' }).default('rampart:cache:'),
  heartbeatMs: z
    .int({ error: 'must be a positive integer' })
    .positive({ error: 'must be a positive integer' })
    .default(1000),
  connectionName: z.string({ error: 'must be a string' }).min(1).optional(),
});

function defaultConnectionName(client: RedisClient): string {
  const name = client.isCluster
    ? (client as Cluster).options.redisOptions?.connectionName
    : (client as Redis).options.connectionName;
  return typeof name === 'string' && name.length > 0 ? `${name}:bus` : 'rampart-cache-bus';
}

/**
 * Creates a bus on Redis pub/sub for `createCache({ bus })`: instances publish the keys,
 * tags and clears they invalidate (never values), and every other instance drops its L1
 * copies. On a Redis 7 Cluster it uses sharded pub/sub (`SPUBLISH`/`SSUBSCRIBE`: a channel's
 * messages stay on the shard that owns it), elsewhere classic pub/sub. Each cache gets a
 * dedicated subscriber connection (created lazily, closed with the cache), checked every
 * `heartbeatMs` and rebuilt with backoff when lost; while it is down the cache serves L1
 * entries for at most `busDownTtlMs`, and flushes L1 when it is back.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is malformed or the client would queue
 *   commands forever while Redis is down.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache } from '@rampart/cache';
 * import { recommendedRedisOptions, redisBus, redisStore } from '@rampart/cache/redis';
 * import { closeRedis } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({
 *   namespace: 'catalog',
 *   ttlMs: 60_000,
 *   l2: redisStore({ client }),
 *   bus: redisBus({ client }),
 * });
 * // …
 * await cache.close(); // closes its subscriber connection
 * await closeRedis(client); // QUIT, or a disconnect when Redis is down or hung
 * ```
 */
export function redisBus(options: RedisBusOptions): CacheBus {
  const parsed = parseOptions(schema, options, 'redisBus');
  const { client, prefix, heartbeatMs } = parsed;
  checkClientSettings(client, 'redisBus');
  const connectionName = parsed.connectionName ?? defaultConnectionName(client);
  const mode: PubSubMode = { sharded: client.isCluster };
  const subscribers = new Set<BusSubscriber>();

  const publish = async (channel: string, payload: string): Promise<void> => {
    if (mode.sharded) {
      try {
        await (client as Cluster).spublish(channel, payload);
        return;
      } catch (error) {
        if (!(error instanceof Error) || !/unknown command/i.test(error.message)) throw error;
        mode.sharded = false;
      }
    }
    await client.publish(channel, payload);
  };

  return {
    subscribe(namespace: string, handlers: CacheBusHandlers): CacheBusSubscription {
      const channel = `${prefix}${namespace}:bus`;
      const subscriber = new BusSubscriber({
        client,
        channel,
        handlers,
        heartbeatMs,
        connectionName,
        mode,
      });
      subscribers.add(subscriber);
      return {
        get connected() {
          return subscriber.connected;
        },
        publish: (payload) => publish(channel, payload),
        close: async () => {
          subscribers.delete(subscriber);
          await subscriber.close();
        },
      };
    },

    async close(): Promise<void> {
      const all = [...subscribers];
      subscribers.clear();
      await Promise.all(all.map((subscriber) => subscriber.close()));
    },
  };
}
