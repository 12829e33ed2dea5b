/**
 * The Redis store of `@rampart/rate-limiter`: one `EVALSHA` per decision on a single node,
 * Sentinel or Cluster. Needs `ioredis` (an optional peer dependency).
 *
 * @packageDocumentation
 * @module @rampart/rate-limiter/redis
 */
/**
 * The recommended ioredis options, re-exported from
 * {@link @rampart/redis!recommendedRedisOptions | @rampart/redis}, their one home.
 */
export { recommendedClusterOptions, recommendedRedisOptions } from '@rampart/redis';
export type { RedisStoreOptions } from './redis-store.ts';
export { redisStore } from './redis-store.ts';
