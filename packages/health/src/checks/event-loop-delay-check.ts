import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ConfigurationError } from '@rampart/errors';
import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';

/** Options of {@link eventLoopDelayCheck}. */
export interface EventLoopDelayCheckOptions {
  /** The delay in milliseconds above which the check fails. */
  readonly thresholdMs: number;
  /**
   * The delay in milliseconds above which the check warns.
   *
   * @defaultValue none
   */
  readonly warnAboveMs?: number;
  /**
   * The percentile of the delays since the previous check that is compared.
   *
   * @defaultValue `99`: one long pause is what a blocked process looks like; the mean hides it.
   */
  readonly percentile?: number;
}

/** A check that can stop its background sampling. */
export type DisposableHealthCheck = HealthCheck & {
  /** Stops sampling; the check then reports the last window only. */
  dispose(): void;
  /** Same as `dispose()`. */
  [Symbol.dispose](): void;
};

/** The part of a `perf_hooks` histogram the check reads. */
export interface DelayHistogram {
  percentile(percentile: number): number;
  readonly count: number;
  reset(): void;
  enable(): boolean;
  disable(): boolean;
}

function checkNumber(field: string, value: unknown, low: number, high: number): void {
  if (typeof value !== 'number' || !(value > low && value <= high)) {
    throw new ConfigurationError(
      `eventLoopDelayCheck: \`${field}\` must be a number above ${low} and at most ${high} (got ${String(value)})`,
    );
  }
}

/**
 * Builds the check over any histogram (the public one samples `monitorEventLoopDelay`).
 *
 * @internal
 */
export function delayCheck(
  histogram: DelayHistogram,
  options: EventLoopDelayCheckOptions,
): DisposableHealthCheck {
  checkNumber('thresholdMs', options?.thresholdMs, 0, 3_600_000);
  if (options.warnAboveMs !== undefined)
    checkNumber('warnAboveMs', options.warnAboveMs, 0, 3_600_000);
  if (options.percentile !== undefined) checkNumber('percentile', options.percentile, 0, 100);
  const { thresholdMs, warnAboveMs, percentile = 99 } = options;
  histogram.enable();
  const check = (): HealthCheckOutcome => {
    if (histogram.count === 0) return { status: 'pass', output: 'no samples yet' };
    const delayMs = Math.round(histogram.percentile(percentile) / 10_000) / 100;
    histogram.reset();
    const status =
      delayMs > thresholdMs
        ? 'fail'
        : warnAboveMs !== undefined && delayMs > warnAboveMs
          ? 'warn'
          : 'pass';
    return {
      status,
      observedValue: delayMs,
      observedUnit: 'ms',
      output: `p${percentile} event loop delay ${delayMs} ms (fails above ${thresholdMs} ms)`,
    };
  };
  const dispose = (): void => {
    histogram.disable();
  };
  return Object.assign(check, { dispose, [Symbol.dispose]: dispose });
}

/**
 * Creates a check of the event loop's delay, sampled by `perf_hooks.monitorEventLoopDelay`:
 * it fails when the chosen percentile of the delays since the previous check is above
 * `thresholdMs`. A liveness check: it looks at the process only.
 *
 * @remarks
 * Sampling runs in the background (without keeping the process alive) from creation until
 * `dispose()`. Each check reads and restarts the window.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `thresholdMs`,
 * `warnAboveMs` or `percentile` is out of range.
 *
 * @example
 * ```ts
 * import { createHealth, eventLoopDelayCheck } from '@rampart/health';
 *
 * const health = createHealth();
 * health.add('event-loop', eventLoopDelayCheck({ thresholdMs: 1_000, warnAboveMs: 200 }), {
 *   groups: ['liveness'],
 * });
 * ```
 */
export function eventLoopDelayCheck(options: EventLoopDelayCheckOptions): DisposableHealthCheck {
  checkNumber('thresholdMs', options?.thresholdMs, 0, 3_600_000);
  return delayCheck(monitorEventLoopDelay({ resolution: 20 }), options);
}
