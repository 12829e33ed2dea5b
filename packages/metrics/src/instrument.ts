import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ConfigurationError, invalidArgument, parseOptions } from '@rampart/errors';
import * as z from 'zod';
import { INSTRUMENT_DURATION_BUCKETS, instrumentMetricNames } from './instrument-metric-names.ts';
import { bucketsSchema } from './internal/config-schemas.ts';
import { instrumentCache } from './internal/instrument-cache.ts';
import { instrumentCircuitBreaker } from './internal/instrument-circuit-breaker.ts';
import { instrumentFailover } from './internal/instrument-failover.ts';
import { instrumentHealth } from './internal/instrument-health.ts';
import { instrumentLogger } from './internal/instrument-logger.ts';
import { instrumentMetrics } from './internal/instrument-metrics.ts';
import { instrumentRateLimiter } from './internal/instrument-rate-limiter.ts';
import {
  createRecorder,
  type PackageInstrumentation,
  type Recorder,
} from './internal/instrument-recorder.ts';
import { instrumentRetry } from './internal/instrument-retry.ts';
import { internalsOf } from './internal/lifecycle.ts';
import type { Metrics } from './metrics.ts';

/** A Rampart package whose diagnostics channels {@link instrument} can record. */
export type InstrumentedPackage =
  | 'retry'
  | 'circuit-breaker'
  | 'rate-limiter'
  | 'cache'
  | 'failover'
  | 'logger'
  | 'metrics'
  | 'health';

/** Options of {@link instrument}. */
export interface InstrumentOptions {
  /**
   * The packages whose events are recorded.
   * @default every one — an unused package publishes nothing, so it costs nothing.
   */
  readonly packages?: readonly InstrumentedPackage[];
  /**
   * Whether series carry the instance's `name` (the breaker, limiter, cache, retry policy,
   * logger or metrics instance). Turn it off when names are generated (one breaker per
   * upstream host) and would multiply series; the gauges then describe all instances at
   * once: `fallback_active` and `l2_cooling_down` are 1 while any instance is, and the
   * breaker state is the latest change of any breaker.
   * @default `true` — telling instances apart is what makes the metrics actionable.
   */
  readonly nameLabel?: boolean;
  /**
   * Buckets of the duration histograms, in seconds.
   * @default {@link INSTRUMENT_DURATION_BUCKETS} (1 ms to 10 s).
   */
  readonly buckets?: readonly number[];
}

const PACKAGES: readonly InstrumentedPackage[] = [
  'retry',
  'circuit-breaker',
  'rate-limiter',
  'cache',
  'failover',
  'logger',
  'metrics',
  'health',
];

const INSTRUMENTERS: Readonly<
  Record<InstrumentedPackage, (recorder: Recorder) => PackageInstrumentation>
> = {
  retry: instrumentRetry,
  'circuit-breaker': instrumentCircuitBreaker,
  'rate-limiter': instrumentRateLimiter,
  cache: instrumentCache,
  failover: instrumentFailover,
  logger: instrumentLogger,
  metrics: instrumentMetrics,
  health: instrumentHealth,
};

const optionsSchema = z.strictObject({
  packages: z
    .array(
      z.enum(PACKAGES, {
        error: `must be one of ${PACKAGES.map((name) => `'${name}'`).join(', ')}`,
      }),
      { error: 'must be an array of package names' },
    )
    .default([...PACKAGES]),
  nameLabel: z.boolean({ error: 'must be a boolean' }).default(true),
  buckets: bucketsSchema.default(INSTRUMENT_DURATION_BUCKETS),
});

/**
 * Metrics of a package already fed by a live instrumentation: a second one over the same
 * registry and names would count every event twice.
 */
const claimed = new WeakSet<object>();

/**
 * Records what every Rampart package publishes on `node:diagnostics_channel` as metrics of
 * `metrics`, with low-cardinality labels only (never a key): rate-limit decisions, store
 * errors and fallbacks; cache hits by tier, misses, stale values, factory durations, L2
 * errors and cool-downs, evictions; circuit states (closed 0, open 1, half-open 2,
 * isolated 3), transitions, rejections and call durations; retries, give-ups and budget
 * exhaustion; failover provider calls by outcome, skipped providers, hedges and last-resort
 * uses; slow operations, rotations and destination errors of loggers; scrape health of
 * metrics instances; and health check statuses and durations, probe group statuses and
 * graceful shutdown phases. Names are listed in {@link instrumentMetricNames}.
 *
 * It subscribes to the channels by name: `@rampart/metrics` does not depend on the packages
 * it observes, and a package you do not use costs nothing. Returns a function that
 * unsubscribes everything (calling it again does nothing); `metrics.close()` calls it too.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid, when a metric name is registered
 *   with another shape (other buckets), or when a package is already instrumented into the
 *   same metrics (dispose that instrumentation first: events would be counted twice).
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `metrics` is closed.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMetrics, instrument } from '@rampart/metrics';
 *
 * const metrics = createMetrics();
 * const stopInstrumenting = instrument(metrics);
 * createServer(metrics.handler()).listen(9464);
 * // rampart_circuit_breaker_state{name="users"} 1
 * // rampart_rate_limiter_decisions_total{name="api",policy="minute",outcome="limited",source="store"} 12
 *
 * process.once('SIGTERM', () => stopInstrumenting()); // or: await metrics.close()
 * ```
 */
export function instrument(metrics: Metrics, options: InstrumentOptions = {}): () => void {
  const { lifecycle } = internalsOf(metrics, 'instrument');
  const parsed = parseOptions(optionsSchema, options, 'instrument');
  if (lifecycle.closed) {
    throw invalidArgument('instrument', 'metrics', 'must not be closed', metrics);
  }
  const recorder = createRecorder(metrics, parsed.nameLabel, parsed.buckets);
  const packages = [...new Set(parsed.packages)];
  const instrumentations = packages.map((name) => {
    const first = recorder.created.length;
    const instrumentation = INSTRUMENTERS[name](recorder);
    return { name, instrumentation, owned: recorder.created.slice(first) };
  });
  const droppedEvents = metrics.counter({
    name: instrumentMetricNames.instrumentErrors,
    help: 'Events instrument() could not record (a malformed payload); they were dropped.',
    labelNames: ['channel'],
  });
  for (const { name, owned } of instrumentations) {
    if (owned.some((metric) => claimed.has(metric))) {
      throw new ConfigurationError(
        `instrument: '${name}' is already instrumented into these metrics; call the disposer of that instrument() first, or its events would be counted twice`,
        {
          issues: [
            { path: 'packages', message: `'${name}' is already instrumented`, code: 'conflict' },
          ],
        },
      );
    }
  }

  const subscriptions: { channel: string; listener: (message: unknown) => void }[] = [];
  for (const { instrumentation, owned } of instrumentations) {
    for (const metric of owned) claimed.add(metric);
    for (const [key, channel] of Object.entries(instrumentation.channels)) {
      const record = instrumentation.listeners[key] as ((message: unknown) => void) | undefined;
      if (record === undefined) continue;
      // A subscriber that throws is rethrown by Node on the next tick and crashes the process.
      const listener = (message: unknown): void => {
        try {
          record(message);
        } catch {
          droppedEvents.inc({ channel });
        }
      };
      subscribe(channel, listener);
      subscriptions.push({ channel, listener });
    }
  }

  let disposed = false;
  const dispose = (): void => {
    if (disposed) return;
    disposed = true;
    withdraw();
    for (const { channel, listener } of subscriptions) unsubscribe(channel, listener);
    for (const { owned } of instrumentations) {
      for (const metric of owned) claimed.delete(metric);
    }
  };
  const withdraw = lifecycle.defer(dispose);
  return dispose;
}
