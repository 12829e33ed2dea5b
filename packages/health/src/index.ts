/**
 * Health checks grouped as liveness, readiness and startup probes, answered as
 * `application/health+json`, ready-made checks for the rest of Rampart, and a graceful
 * shutdown coordinator.
 *
 * @packageDocumentation
 * @module @rampart/health
 */
export type { CacheCheckOptions, CacheHealthSource } from './checks/cache-check.ts';
export { cacheCheck } from './checks/cache-check.ts';
export type {
  BreakerHealthSource,
  BreakerRegistryHealthSource,
  CircuitBreakerCheckOptions,
} from './checks/circuit-breaker-check.ts';
export { circuitBreakerCheck } from './checks/circuit-breaker-check.ts';
export type { DegradedStatus } from './checks/degraded-status.ts';
export type {
  DisposableHealthCheck,
  EventLoopDelayCheckOptions,
} from './checks/event-loop-delay-check.ts';
export { eventLoopDelayCheck } from './checks/event-loop-delay-check.ts';
export type { HeapCheckOptions } from './checks/heap-check.ts';
export { heapCheck } from './checks/heap-check.ts';
export type {
  RateLimiterCheckOptions,
  RateLimiterHealthSource,
  RateLimiterStoreHealth,
} from './checks/rate-limiter-check.ts';
export { rateLimiterCheck } from './checks/rate-limiter-check.ts';
export type {
  ClusterNodeLike,
  PingableRedis,
  RedisCheckOptions,
} from './checks/redis-check.ts';
export { redisCheck } from './checks/redis-check.ts';
export type { Clock } from './clock.ts';
export type { Health, HealthCheckCallOptions, HealthOptions } from './create-health.ts';
export { createHealth } from './create-health.ts';
export { createShutdown } from './create-shutdown.ts';
export type {
  HealthCheckEvent,
  HealthShutdownEvent,
  HealthStatusEvent,
  HealthStatusScope,
  ShutdownPhase,
} from './events.ts';
export { healthChannels } from './events.ts';
export type {
  HealthCheck,
  HealthCheckContext,
  HealthCheckDefinition,
  HealthCheckOptions,
  HealthCheckOutcome,
  HealthCheckReturn,
} from './health-check.ts';
export type {
  HealthDetails,
  HealthHandlerOptions,
  HealthRequestHandler,
} from './health-handler.ts';
export { HEALTH_CONTENT_TYPE, healthHandler } from './health-handler.ts';
export type { HealthCheckResult, HealthReport } from './health-report.ts';
export type { HealthGroup, HealthStatus } from './health-status.ts';
export { healthGroups, worseStatus } from './health-status.ts';
export type {
  Shutdown,
  ShutdownContext,
  ShutdownHandler,
  ShutdownHandlerOptions,
  ShutdownLogger,
  ShutdownOptions,
  ShutdownProcess,
  ShutdownResult,
  ShutdownServer,
  ShutdownState,
} from './shutdown-options.ts';
export { shutdownOrder } from './shutdown-options.ts';
