import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';
import { type DegradedStatus, degradedStatus, requireMethod } from './degraded-status.ts';

/**
 * The health of a rate limiter's store, as `limiter.state()` of
 * {@link @rampart/rate-limiter!createRateLimiter | createRateLimiter} reports it.
 */
export interface RateLimiterStoreHealth {
  /** `healthy`: answering from its store; otherwise answering from its fallback. */
  readonly state: 'healthy' | 'cooling-down' | 'probing';
  /** Store failures in a row. */
  readonly consecutiveFailures: number;
  /** When the state last changed, in milliseconds since the epoch. */
  readonly changedAt: number;
  /** While cooling down: milliseconds until the store is tried again. */
  readonly retryAfterMs: number;
}

/** The part of a rate limiter the check reads. */
export interface RateLimiterHealthSource {
  /** The store's health. */
  state(): RateLimiterStoreHealth;
}

/** Options of {@link rateLimiterCheck}. */
export interface RateLimiterCheckOptions {
  /**
   * The status while the limiter answers from its fallback instead of its store.
   *
   * @defaultValue `'warn'`: the fallback keeps requests limited; taking every instance out
   * of rotation because the shared store is down would turn a partial outage into a full one.
   */
  readonly fallback?: DegradedStatus;
}

/**
 * Creates a check of whether a rate limiter answers from its store or from its fallback.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `limiter` has
 * no `state()` or `fallback` is not `warn` or `fail`.
 *
 * @example
 * ```ts
 * import { createHealth, rateLimiterCheck, type RateLimiterHealthSource } from '@rampart/health';
 *
 * declare const limiter: RateLimiterHealthSource;
 * const health = createHealth();
 * health.add('rate-limiter', rateLimiterCheck(limiter), { critical: false });
 * ```
 */
export function rateLimiterCheck(
  limiter: RateLimiterHealthSource,
  options: RateLimiterCheckOptions = {},
): HealthCheck {
  requireMethod('rateLimiterCheck', 'limiter', limiter, 'state');
  const fallback = degradedStatus('rateLimiterCheck', 'fallback', options?.fallback);
  return (): HealthCheckOutcome => {
    const health = limiter.state();
    if (health.state === 'healthy') return { status: 'pass', output: 'answering from its store' };
    const output =
      health.state === 'cooling-down'
        ? `store cooling down after ${health.consecutiveFailures} failures; answering from the fallback for ${health.retryAfterMs} ms`
        : 'store being probed; answering from the fallback';
    return { status: fallback, output };
  };
}
