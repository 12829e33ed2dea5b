import { getHeapStatistics } from 'node:v8';
import { ConfigurationError } from '@rampart/errors';
import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';

/** Options of {@link heapCheck}. */
export interface HeapCheckOptions {
  /**
   * The share of the heap limit in use, in percent, above which the check fails.
   *
   * @defaultValue `95`: close enough to the limit that the process is about to crash.
   */
  readonly failAbovePercent?: number;
  /**
   * The share in percent above which the check warns.
   *
   * @defaultValue `85`
   */
  readonly warnAbovePercent?: number;
}

/** The heap's size and limit in bytes. */
export interface HeapUsage {
  readonly usedBytes: number;
  readonly limitBytes: number;
}

function readHeap(): HeapUsage {
  const statistics = getHeapStatistics();
  return { usedBytes: statistics.used_heap_size, limitBytes: statistics.heap_size_limit };
}

function checkPercent(field: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value > 0 && value <= 100)) {
    throw new ConfigurationError(
      `heapCheck: \`${field}\` must be a number above 0 and at most 100 (got ${String(value)})`,
    );
  }
  return value;
}

/**
 * Creates a check of the heap in use as a share of V8's heap limit. A liveness check: it
 * looks at the process only.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when a percentage
 * is out of range or `warnAbovePercent` is above `failAbovePercent`.
 *
 * @example
 * ```ts
 * import { createHealth, heapCheck } from '@rampart/health';
 *
 * const health = createHealth();
 * health.add('heap', heapCheck({ failAbovePercent: 90 }), { groups: ['liveness'] });
 * ```
 */
export function heapCheck(options: HeapCheckOptions = {}): HealthCheck {
  return heapUsageCheck(options ?? {}, readHeap);
}

/**
 * Builds the check over any heap reader (the public one reads V8's statistics).
 *
 * @internal
 */
export function heapUsageCheck(options: HeapCheckOptions, read: () => HeapUsage): HealthCheck {
  const failAbove = checkPercent('failAbovePercent', options.failAbovePercent) ?? 95;
  const warnAbove =
    checkPercent('warnAbovePercent', options.warnAbovePercent) ?? Math.min(85, failAbove);
  if (warnAbove > failAbove) {
    throw new ConfigurationError(
      `heapCheck: \`warnAbovePercent\` must not be above \`failAbovePercent\` (${failAbove})`,
    );
  }
  return (): HealthCheckOutcome => {
    const { usedBytes, limitBytes } = read();
    const percent = Math.round((usedBytes / limitBytes) * 1_000) / 10;
    const status = percent > failAbove ? 'fail' : percent > warnAbove ? 'warn' : 'pass';
    return {
      status,
      observedValue: percent,
      observedUnit: 'percent',
      output: `${Math.round(usedBytes / 1_048_576)} MiB of ${Math.round(limitBytes / 1_048_576)} MiB heap in use`,
    };
  };
}
