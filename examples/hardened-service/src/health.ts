import type { Cache } from '@rampart/cache';
import type { CircuitState } from '@rampart/circuit-breaker';
import type { RedisConnection, RedisHealth } from './redis.ts';
import { sendJson } from './respond.ts';
import type { Route } from './router.ts';

/** The body of `/readyz`. */
export interface Readiness {
  /**
   * `ready`: everything answers; `degraded`: serving, but Redis is down (the in-memory
   * fallbacks answer) or the upstream's breaker is not closed (cached and stale products
   * answer); `draining`: shutting down, send no more traffic.
   */
  readonly status: 'ready' | 'degraded' | 'draining';
  readonly checks: {
    readonly redis: RedisHealth | { readonly status: 'not-configured' };
    readonly upstream: { readonly breaker: CircuitState };
    readonly cache: { readonly l2: string };
  };
}

/** What the health routes look at. */
export interface HealthSources {
  readonly redis: RedisConnection | undefined;
  readonly breaker: { readonly state: CircuitState };
  readonly cache: Cache;
  isDraining(): boolean;
}

/** How long `/readyz` waits for Redis to answer PING. */
const REDIS_CHECK_TIMEOUT_MS = 250;

/** Works out the readiness report. */
export async function readiness(sources: HealthSources): Promise<Readiness> {
  const redis = sources.redis
    ? await sources.redis.check(REDIS_CHECK_TIMEOUT_MS)
    : ({ status: 'not-configured' } as const);
  const breaker = sources.breaker.state;
  const degraded = redis.status === 'down' || breaker !== 'closed';
  return {
    status: sources.isDraining() ? 'draining' : degraded ? 'degraded' : 'ready',
    checks: {
      redis,
      upstream: { breaker },
      cache: { l2: sources.cache.stats().l2.state },
    },
  };
}

/**
 * `/healthz` (liveness: the process answers; never looks at dependencies, so a Redis outage
 * never gets healthy instances restarted) and `/readyz` (readiness: `503` only while
 * draining). A degraded instance stays in rotation on purpose: its fallbacks keep serving,
 * and taking every instance out because a shared dependency is down would turn a partial
 * outage into a full one. The report says what is degraded, for dashboards and people.
 */
export function healthRoutes(sources: HealthSources): Route[] {
  return [
    {
      method: 'GET',
      template: '/healthz',
      limited: false,
      logged: false,
      handle: ({ response }) => sendJson(response, 200, { status: 'ok' }),
    },
    {
      method: 'GET',
      template: '/readyz',
      limited: false,
      logged: false,
      handle: async ({ response }) => {
        const report = await readiness(sources);
        sendJson(response, report.status === 'draining' ? 503 : 200, report);
      },
    },
  ];
}
