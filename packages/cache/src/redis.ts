/**
 * The Redis tier and bus of `@rampart/cache`, on ioredis (an optional peer dependency):
 * install `ioredis` to use them.
 *
 * @packageDocumentation
 * @module @rampart/cache/redis
 */
export { recommendedClusterOptions, recommendedRedisOptions } from './redis/client-settings.ts';
export type { RedisBusOptions } from './redis/redis-bus.ts';
export { redisBus } from './redis/redis-bus.ts';
export type { RedisClient } from './redis/redis-client.ts';
export type { RedisStoreOptions } from './redis/redis-store.ts';
export { redisStore } from './redis/redis-store.ts';
