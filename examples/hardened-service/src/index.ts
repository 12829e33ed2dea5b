/**
 * The hardened service: a plain `node:http` JSON API composing every Rampart package.
 * `startService(options)` runs it in this process; `src/main.ts` runs it until a signal.
 */
export type { CacheStatus } from './catalog.ts';
export type {
  RedisNode,
  ServiceConfig,
  ServiceOptions,
  UpstreamOutage,
  UpstreamSettings,
} from './config.ts';
export { parseServiceConfig } from './config.ts';
export { configFromEnvironment } from './environment.ts';
export type { HealthSources, ServiceHealth } from './health.ts';
export { createServiceHealth } from './health.ts';
export { exitOnCrash } from './process-handlers.ts';
export { securityHeaders } from './security-headers.ts';
export type { RunningService, StartRuntime } from './service.ts';
export { startService } from './service.ts';
export type { Product, Upstream, UpstreamStats } from './upstream.ts';
export { PRODUCT_COUNT } from './upstream.ts';
