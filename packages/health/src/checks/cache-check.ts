import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';
import { type DegradedStatus, degradedStatus, requireMethod } from './degraded-status.ts';

/** The part of a cache the check reads: `cache.stats().l2.state` of `@rampart/cache`. */
export interface CacheHealthSource {
  /** The cache's statistics. */
  stats(): { readonly l2: { readonly state: 'healthy' | 'cooling-down' | 'probing' | 'absent' } };
}

/** Options of {@link cacheCheck}. */
export interface CacheCheckOptions {
  /**
   * The status while the second tier (Redis) is cooling down or being probed and the cache
   * serves from memory.
   *
   * @defaultValue `'warn'`: the cache still answers, from memory and its loaders.
   */
  readonly degraded?: DegradedStatus;
}

/**
 * Creates a check of a cache's second tier: `pass` while it is healthy or when there is
 * none, `degraded` (`warn` by default) while it cools down or is probed.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `cache` has no
 * `stats()` or `degraded` is not `warn` or `fail`.
 *
 * @example
 * ```ts
 * import { createCache } from '@rampart/cache';
 * import { cacheCheck, createHealth } from '@rampart/health';
 *
 * const cache = createCache({ namespace: 'catalog', ttlMs: 30_000 });
 * const health = createHealth();
 * health.add('cache', cacheCheck(cache), { critical: false });
 * ```
 */
export function cacheCheck(cache: CacheHealthSource, options: CacheCheckOptions = {}): HealthCheck {
  requireMethod('cacheCheck', 'cache', cache, 'stats');
  const degraded = degradedStatus('cacheCheck', 'degraded', options?.degraded);
  return (): HealthCheckOutcome => {
    const state = cache.stats().l2.state;
    if (state === 'healthy') return { status: 'pass', output: 'second tier healthy' };
    if (state === 'absent') return { status: 'pass', output: 'memory only' };
    return { status: degraded, output: `second tier ${state}; serving from memory` };
  };
}
