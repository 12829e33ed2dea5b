/**
 * The type of {@link recommendedRedisOptions}: the exact values, so the object can be passed
 * to `new Redis(…)` of ioredis 5 and 6 alike, also under `exactOptionalPropertyTypes`.
 */
export interface RecommendedRedisOptions {
  readonly enableOfflineQueue: false;
  readonly maxRetriesPerRequest: 1;
  readonly autoResendUnfulfilledCommands: false;
  readonly connectTimeout: 2_000;
}

/** The type of {@link recommendedClusterOptions}: the exact values, as for {@link RecommendedRedisOptions}. */
export interface RecommendedClusterOptions {
  readonly enableOfflineQueue: false;
  readonly redisOptions: Omit<RecommendedRedisOptions, 'enableOfflineQueue'>;
}

/**
 * ioredis options for a connection that serves Rampart's Redis stores: commands fail at once
 * while disconnected instead of queueing without bound, commands cut off by a disconnect
 * are not replayed after their caller gave up on them, and one connection attempt gives up
 * after 2 s.
 *
 * @remarks
 * ioredis keeps reconnecting with its default backoff, so recovery is automatic. The
 * stores bound every call by their own deadline in any case, and a call made while the
 * first connection is still being set up waits for it within that deadline. Close a
 * client created with these options with {@link closeRedis}: `quit()` rejects while it is
 * not connected.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { recommendedRedisOptions } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', recommendedRedisOptions);
 * ```
 */
export const recommendedRedisOptions: RecommendedRedisOptions = Object.freeze({
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
 * import { recommendedClusterOptions } from '@rampart/redis';
 *
 * const client = new Cluster([{ host: 'redis-1', port: 6379 }], recommendedClusterOptions);
 * ```
 */
export const recommendedClusterOptions: RecommendedClusterOptions = Object.freeze({
  enableOfflineQueue: false,
  redisOptions: Object.freeze({
    maxRetriesPerRequest: 1,
    autoResendUnfulfilledCommands: false,
    connectTimeout: 2_000,
  }),
});
