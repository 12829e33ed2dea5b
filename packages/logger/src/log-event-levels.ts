import type { LogLevel } from './levels.ts';

/**
 * What {@link logEvents} logs, as written in each line's `event` field; keys of its
 * `levels` option.
 *
 * @group Events
 */
export type LoggedEvent =
  | 'circuit-breaker.opened'
  | 'circuit-breaker.half-open'
  | 'circuit-breaker.closed'
  | 'circuit-breaker.isolated'
  | 'rate-limiter.fallback-engaged'
  | 'rate-limiter.fallback-recovered'
  | 'rate-limiter.store-error'
  | 'retry.budget-exhausted'
  | 'cache.l2-down'
  | 'cache.l2-up'
  | 'cache.l2-error'
  | 'cache.l2-replayed'
  | 'cache.l2-journal-overflowed'
  | 'cache.bus-disconnected'
  | 'cache.bus-reconnected'
  | 'cache.bus-publish-failed'
  | 'cache.lock-lost'
  | 'failover.exhausted'
  | 'failover.last-resort-failed'
  | 'logger.destination-error'
  | 'metrics.overflow'
  | 'metrics.collect-error'
  | 'health.failing'
  | 'health.warning'
  | 'health.passing'
  | 'health.shutdown'
  | 'health.shutdown-handler-failed'
  | 'health.shutdown-forced';

/**
 * The level {@link logEvents} logs each event at unless its `levels` option says otherwise:
 * `warn` for what degrades the service (a circuit opened, a store or L2 skipped, retries
 * refused), `info` for recoveries, `error` for lost log lines.
 *
 * @example
 * ```ts
 * import { defaultLogEventLevels } from '@rampart/logger';
 *
 * console.log(defaultLogEventLevels['circuit-breaker.opened']); // 'warn'
 * ```
 */
export const defaultLogEventLevels: Readonly<Record<LoggedEvent, LogLevel>> = Object.freeze({
  'circuit-breaker.opened': 'warn',
  'circuit-breaker.half-open': 'info',
  'circuit-breaker.closed': 'info',
  'circuit-breaker.isolated': 'warn',
  'rate-limiter.fallback-engaged': 'warn',
  'rate-limiter.fallback-recovered': 'info',
  'rate-limiter.store-error': 'warn',
  'retry.budget-exhausted': 'warn',
  'cache.l2-down': 'warn',
  'cache.l2-up': 'info',
  'cache.l2-error': 'warn',
  'cache.l2-replayed': 'info',
  'cache.l2-journal-overflowed': 'warn',
  'cache.bus-disconnected': 'warn',
  'cache.bus-reconnected': 'info',
  'cache.bus-publish-failed': 'warn',
  'cache.lock-lost': 'warn',
  'failover.exhausted': 'warn',
  'failover.last-resort-failed': 'warn',
  'logger.destination-error': 'error',
  'metrics.overflow': 'warn',
  'metrics.collect-error': 'warn',
  'health.failing': 'warn',
  'health.warning': 'warn',
  'health.passing': 'info',
  'health.shutdown': 'info',
  'health.shutdown-handler-failed': 'error',
  'health.shutdown-forced': 'error',
});
