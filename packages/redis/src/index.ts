/**
 * Redis connection helpers (recommended client options, waiting for `ready`, a safe close)
 * and the store guard (deadline, failures, cool-down, probe, recovery) shared by
 * `@rampart/cache` and `@rampart/rate-limiter`.
 *
 * @packageDocumentation
 * @module @rampart/redis
 */
export type { RedisClient, RedisStatus } from './client.ts';
export { isRedisClient } from './client.ts';
export type { CloseRedisOptions } from './close-redis.ts';
export { closeRedis } from './close-redis.ts';
export type {
  LogRedisErrorsOptions,
  RedisErrorLog,
  RedisErrorLogFields,
  RedisErrorLogFunction,
  RedisErrorLogger,
} from './log-redis-errors.ts';
export { logRedisErrors } from './log-redis-errors.ts';
export type {
  RecommendedClusterOptions,
  RecommendedRedisOptions,
} from './recommended-options.ts';
export { recommendedClusterOptions, recommendedRedisOptions } from './recommended-options.ts';
export { createStoreGuard } from './store-guard.ts';
export type {
  StoreCallOptions,
  StoreGuard,
  StoreGuardOptions,
  StoreGuardSettings,
} from './store-guard-options.ts';
export { MAX_DURATION_MS } from './store-guard-options.ts';
export type {
  StoreCallOutcome,
  StoreFailure,
  StoreHealth,
  StoreState,
  StoreStateEvent,
} from './store-state.ts';
export type { WaitForRedisOptions } from './wait-for-redis.ts';
export { pendingConnection, waitForRedis } from './wait-for-redis.ts';
