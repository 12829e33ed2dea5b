import type { OpossumBreakerLike } from '../../opossum-breaker.ts';

/**
 * When each instrumented breaker last opened. opossum records no such time itself (its
 * `lastTimerAt` is when the breaker was built), so only an instrumented breaker's wait is known.
 */
const openedAt = new WeakMap<object, number>();

/** Records that `breaker` opened now. */
export function recordOpened(breaker: OpossumBreakerLike): void {
  openedAt.set(breaker, Date.now());
}

/** Milliseconds until an open opossum breaker lets a trial call through, when it can be told. */
export function retryAfterOf(breaker: OpossumBreakerLike | undefined): number | undefined {
  if (breaker === undefined || !breaker.opened) return undefined;
  const resetTimeout = breaker.options?.resetTimeout;
  const since = openedAt.get(breaker);
  if (typeof resetTimeout !== 'number' || since === undefined) return undefined;
  return Math.max(0, since + resetTimeout - Date.now());
}

/** The failure rate (percent) of an opossum breaker's rolling window. */
export function failureRateOf(breaker: OpossumBreakerLike): number {
  const fires = breaker.stats?.fires ?? 0;
  const failures = breaker.stats?.failures ?? 0;
  return fires > 0 ? Math.min(100, (failures / fires) * 100) : 0;
}
