/**
 * What `logEvents()` logs from `@rampart/metrics`. The payload shapes are declared here,
 * reduced to the fields read: `@rampart/metrics` lists `@rampart/logger` among its
 * devDependencies, so the reverse would make a cycle. `tests/instrumentation-channels.test.ts`
 * checks them against the real event types.
 */
import { type LogEventsContext, type PackageLogging, quoted } from './log-events-context.ts';

/** The channels of `metricsChannels`, by name. */
export const METRICS_CHANNELS = {
  overflow: 'rampart:metrics:overflow',
  collectError: 'rampart:metrics:collect-error',
  scrape: 'rampart:metrics:scrape',
} as const;

/** The fields of `MetricsOverflowEvent` read here. */
export interface MetricsOverflowPayload {
  readonly name: string;
  readonly metric: string;
  readonly maxSeries: number;
}

/** The fields of `MetricsCollectErrorEvent` read here. */
export interface MetricsCollectErrorPayload {
  readonly name: string;
  readonly metric: string;
  readonly error: unknown;
  readonly code: string | undefined;
}

/**
 * Logs a metric reaching its series budget (`warn`; published once per metric) and failed
 * collect callbacks (`warn`, at most one line per metric per interval). Scrapes are routine.
 */
export function logMetrics(context: LogEventsContext): PackageLogging {
  return {
    channels: METRICS_CHANNELS,
    listeners: {
      overflow(event: MetricsOverflowPayload) {
        context.emit({
          event: 'metrics.overflow',
          fields: { metrics: event.name, metric: event.metric, maxSeries: event.maxSeries },
          message: `metrics ${quoted(event.name)}: ${event.metric} reached its budget of ${event.maxSeries} series; new label sets are folded into overflow="true" (a label carries unbounded values)`,
        });
      },
      collectError(event: MetricsCollectErrorPayload) {
        context.throttled(`${event.name}\u0000${event.metric}`, {
          event: 'metrics.collect-error',
          fields: { metrics: event.name, metric: event.metric, code: event.code, err: event.error },
          message: `metrics ${quoted(event.name)}: collect of ${event.metric} failed; it keeps its previous values`,
        });
      },
      scrape: null,
    },
  };
}
