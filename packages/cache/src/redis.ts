/**
 * The Redis tier and bus of `@rampart/cache`, on ioredis (an optional peer dependency):
 * install `ioredis` to use them.
 *
 * @packageDocumentation
 * @module @rampart/cache/redis
 */
/**
 * The recommended ioredis options, re-exported from
 * {@link @rampart/redis!recommendedRedisOptions | @rampart/redis}, their one home.
 */
export { recommendedClusterOptions, recommendedRedisOptions } from '@rampart/redis';
export type { RedisBusOptions } from './redis/redis-bus.ts';
export { redisBus } from './redis/redis-bus.ts';
export type { RedisClient } from './redis/redis-client.ts';
export type { RedisStoreOptions } from './redis/redis-store.ts';
export { redisStore } from './redis/redis-store.ts';
