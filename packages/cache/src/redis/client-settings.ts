import { ConfigurationError } from '@rampart/errors';
import type { Redis } from 'ioredis';
import type { RedisClient } from './redis-client.ts';

const warned = new WeakSet<object>();

/**
 * Rejects client settings under which a command can wait forever, and warns about a Cluster
 * whose offline queue is unbounded while the cluster is down.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} for a single-node client with `enableOfflineQueue: true` and
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
