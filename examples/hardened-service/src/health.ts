import type { Cache } from '@rampart/cache';
import type { CircuitState } from '@rampart/circuit-breaker';
import {
  cacheCheck,
  circuitBreakerCheck,
  createHealth,
  type DisposableHealthCheck,
  eventLoopDelayCheck,
  type Health,
  healthHandler,
  redisCheck,
} from '@rampart/health';
import type { RedisConnection } from './redis.ts';
import type { Route } from './router.ts';

/** What the health checks look at. */
export interface HealthSources {
  readonly redis: RedisConnection | undefined;
  readonly breaker: { readonly name: string; readonly state: CircuitState };
  readonly cache: Pick<Cache, 'stats'>;
}

/** The service's health registry, its probe routes, and the sampling to stop at shutdown. */
export interface ServiceHealth {
  readonly health: Health;
  readonly routes: Route[];
  readonly eventLoop: DisposableHealthCheck;
}

/** How long `/readyz` waits for Redis to answer PING. */
const REDIS_CHECK_TIMEOUT_MS = 250;

/**
 * `/healthz` (liveness: the event loop only; never a dependency, so a Redis outage never gets
 * healthy instances restarted) and `/readyz` (readiness: Redis, the upstream's breaker and the
 * cache's L2 tier, answered as `application/health+json`; `503` as soon as a shutdown starts).
 * Every dependency check is non-critical on purpose: the in-memory fallbacks and cached,
 * stale products keep serving, and taking every instance out because a shared dependency is
 * down would turn a partial outage into a full one. The report says what is degraded
 * (`warn`), for dashboards and people.
 */
export function createServiceHealth(sources: HealthSources): ServiceHealth {
  const eventLoop = eventLoopDelayCheck({ thresholdMs: 2_000, warnAboveMs: 500 });
  const health = createHealth({ name: 'service' });
  health.add('event-loop', eventLoop, { groups: ['liveness'] });
  if (sources.redis !== undefined) {
    health.add('redis', redisCheck(sources.redis.client), {
      critical: false,
      timeoutMs: REDIS_CHECK_TIMEOUT_MS,
    });
  }
  health.add('upstream', circuitBreakerCheck(sources.breaker), { critical: false });
  health.add('cache', cacheCheck(sources.cache), { critical: false });
  const probe = (template: string, handle: ReturnType<typeof healthHandler>): Route => ({
    method: 'GET',
    template,
    limited: false,
    logged: false,
    handle: ({ request, response }) => handle(request, response),
  });
  return {
    health,
    eventLoop,
    routes: [
      probe('/healthz', healthHandler(health, { group: 'liveness' })),
      probe('/readyz', healthHandler(health, { group: 'readiness', details: 'always' })),
    ],
  };
}
