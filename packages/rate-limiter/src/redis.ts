/**
 * The Redis store of `@rampart/rate-limiter`: one `EVALSHA` per decision on a single node,
 * Sentinel or Cluster. Needs `ioredis` (an optional peer dependency).
 *
 * @packageDocumentation
 * @module @rampart/rate-limiter/redis
 */
export type { RedisStoreOptions } from './redis-store.ts';
export { redisStore } from './redis-store.ts';
