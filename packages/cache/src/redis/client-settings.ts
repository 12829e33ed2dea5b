import { ConfigurationError } from '@rampart/errors';
import type { ClusterOptions, Redis, RedisOptions } from 'ioredis';
import type { RedisClient } from './redis-client.ts';

/**
 * ioredis options for a cache's Redis connection: commands fail at once while disconnected
 * instead of queueing without bound, commands cut off by a disconnect are not replayed after
 * the cache gave up on them, and connecting gives up after 2 s (ioredis keeps reconnecting
 * with its default backoff, so recovery is automatic). Use them for a connection that serves
 * only the cache; the cache bounds every call by its own `storeGuard.timeoutMs` in any case.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { recommendedRedisOptions, redisStore } from '@rampart/cache/redis';
 *
 * const client = new Redis('redis://cache.internal:6379', recommendedRedisOptions);
 * const l2 = redisStore({ client });
 * ```
 */
export const recommendedRedisOptions: Readonly<RedisOptions> = Object.freeze({
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  autoResendUnfulfilledCommands: false,
  connectTimeout: 2_000,
});

/**
 * The Cluster counterpart of {@link recommendedRedisOptions}: no cluster-level offline queue
 * (while the cluster is not ready, commands fail at once), and the same per-node settings.
 *
 * @example
 * ```ts
 * import { Cluster } from 'ioredis';
 * import { recommendedClusterOptions, redisStore } from '@rampart/cache/redis';
 *
 * const client = new Cluster([{ host: 'redis-1', port: 6379 }], recommendedClusterOptions);
 * const l2 = redisStore({ client });
 * ```
 */
export const recommendedClusterOptions: Readonly<ClusterOptions> = Object.freeze({
  enableOfflineQueue: false,
  redisOptions: Object.freeze({
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
  }),
});

const warned = new WeakSet<object>();

/**
 * Rejects client settings under which a command can wait forever, and warns about a Cluster
 * whose offline queue is unbounded while the cluster is down.
 * @throws {ConfigurationError} for a single-node client with `enableOfflineQueue: true` and
 *   `maxRetriesPerRequest: null`.
 */
export function checkClientSettings(client: RedisClient, where: string): void {
  if (client.isCluster) {
    if (client.options.enableOfflineQueue !== false && !warned.has(client)) {
      warned.add(client);
      process.emitWarning(
        'The Redis Cluster client queues commands without bound while the cluster is down ' +
          '(enableOfflineQueue: true). The cache bounds its own calls, but other users of this ' +
          'client may pile up: pass recommendedClusterOptions (enableOfflineQueue: false).',
        { code: 'RAMPART_CACHE_REDIS_OFFLINE_QUEUE', type: 'RampartWarning' },
      );
    }
    return;
  }
  const options = (client as Redis).options;
  if (options.enableOfflineQueue !== false && options.maxRetriesPerRequest === null) {
    throw new ConfigurationError(
      `${where}: \`client\` queues commands forever while Redis is down ` +
        '(enableOfflineQueue: true with maxRetriesPerRequest: null); set enableOfflineQueue: ' +
        'false or a finite maxRetriesPerRequest (see recommendedRedisOptions)',
      {
        issues: [
          {
            path: 'client',
            message:
              'must not combine enableOfflineQueue: true with maxRetriesPerRequest: null (an unbounded offline queue)',
            code: 'unsafe_client',
          },
        ],
      },
    );
  }
}
