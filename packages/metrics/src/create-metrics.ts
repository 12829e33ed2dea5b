import { channel } from 'node:diagnostics_channel';
import {
  clockSchema,
  invalidArgument,
  isRampartError,
  parseOptions,
  systemClock,
} from '@rampart/errors';
import { collectDefaultMetrics, Registry, type RegistryContentType } from 'prom-client';
import * as z from 'zod';
import type { MetricsCollectErrorEvent, MetricsOverflowEvent } from './channels.ts';
import { metricsChannels } from './channels.ts';
import type { BoundCounter } from './counter.ts';
import type { MetricContext } from './internal/base-metric.ts';
import {
  bucketsSchema,
  labelNameSchema,
  positiveIntegerSchema,
  prefixSchema,
} from './internal/config-schemas.ts';
import { attachInternals, Lifecycle } from './internal/lifecycle.ts';
import { MetricFactory } from './internal/metric-factory.ts';
import { createPipelineTracker } from './internal/pipeline-tracker.ts';
import { addDefaultLabels, type PromRegistry } from './internal/registry-access.ts';
import { createScrapeHandler } from './internal/scrape-handler.ts';
import { createRenderer } from './internal/scrape-renderer.ts';
import { SELF_METRIC_NAMES, type SelfMetrics, selfMetricsOf } from './internal/self-metrics.ts';
import type { Metrics, MetricsOptions } from './metrics.ts';
import { PIPELINE_DURATION_BUCKETS } from './track.ts';

const registrySchema = z.custom<Registry<RegistryContentType>>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    ['registerMetric', 'getSingleMetric', 'getMetricsAsArray', 'setDefaultLabels'].every(
      (method) => typeof (value as Record<string, unknown>)[method] === 'function',
    ),
  { error: 'must be a prom-client Registry' },
);

/** `selfMetrics` as an object, checked on its own so errors name the field inside it. */
const selfMetricsSchema = z.strictObject({
  selfMetrics: z.strictObject({
    budgetShare: z
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .optional(),
  }),
});

const optionsSchema = z.strictObject({
  name: z
    .string({ error: 'must be a non-empty string' })
    .min(1, { error: 'must be a non-empty string' })
    .default('metrics'),
  registry: registrySchema.optional(),
  prefix: prefixSchema.default(''),
  defaultLabels: z
    .record(
      labelNameSchema,
      z.union([z.string(), z.number()], { error: 'must be a string or a number' }),
      {
        error: 'must be an object of label values',
      },
    )
    .refine(
      (labels) => !['le', 'quantile', 'overflow'].some((name) => Object.hasOwn(labels, name)),
      {
        error: 'must not use a reserved label name (le, quantile, overflow)',
      },
    )
    .default({}),
  collectDefaultMetrics: z
    .union(
      [
        z.boolean(),
        z.strictObject({
          eventLoopMonitoringPrecision: positiveIntegerSchema.optional(),
          gcDurationBuckets: bucketsSchema.optional(),
        }),
      ],
      { error: 'must be a boolean or default-metrics options' },
    )
    .default(false),
  maxSeriesPerMetric: positiveIntegerSchema.default(2000),
  selfMetrics: z
    .union([z.boolean(), z.record(z.string(), z.unknown())], {
      error: 'must be a boolean or self-metrics options',
    })
    .default(true),
  pipelineBuckets: bucketsSchema.default(PIPELINE_DURATION_BUCKETS),
  clock: clockSchema.default(systemClock),
});

/** See `SelfMetricsOptions.budgetShare`. */
const DEFAULT_BUDGET_SHARE = 0.5;

const overflowChannel = channel(metricsChannels.overflow);
const collectErrorChannel = channel(metricsChannels.collectError);

/**
 * Creates a set of metrics over a prom-client registry: get-or-create factories whose
 * handles have bound fast paths and a per-metric series budget, a `/metrics` handler with
 * content negotiation that never stalls the event loop on large scrapes, and pipeline
 * tracking. Without a `registry` it makes its own, never prom-client's global one.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every invalid option, or when the registry already
 *   holds a `rampart_metrics_*` name registered by other code.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMetrics } from '@rampart/metrics';
 *
 * const metrics = createMetrics({ defaultLabels: { service: 'checkout' } });
 * const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs run.', labelNames: ['queue'] });
 * const emails = jobs.bind({ queue: 'email' }); // hot path: no label lookup per call
 * emails.inc();
 *
 * createServer(metrics.handler()).listen(9464); // GET /metrics
 * ```
 */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const parsed = parseOptions(optionsSchema, options, 'createMetrics');
  /** `undefined` when self-metrics are off. */
  const budgetShare =
    parsed.selfMetrics === false
      ? undefined
      : parsed.selfMetrics === true
        ? DEFAULT_BUDGET_SHARE
        : (parseOptions(selfMetricsSchema, { selfMetrics: parsed.selfMetrics }, 'createMetrics')
            .selfMetrics.budgetShare ?? DEFAULT_BUDGET_SHARE);
  const registry: PromRegistry = parsed.registry ?? new Registry();
  const { name, prefix, clock } = parsed;
  addDefaultLabels(
    registry,
    Object.fromEntries(
      Object.entries(parsed.defaultLabels).map(([label, value]) => [label, String(value)]),
    ),
  );

  let self: SelfMetrics | undefined;
  const foldCounters = new Map<string, BoundCounter>();
  const context: MetricContext = {
    instanceName: name,
    clock,
    foldCounter(metric) {
      if (metric === SELF_METRIC_NAMES.overflow) return () => {};
      return () => {
        let bound = foldCounters.get(metric);
        if (bound === undefined && self !== undefined) {
          bound = self.overflow.bind({ metric });
          foldCounters.set(metric, bound);
        }
        bound?.inc();
      };
    },
    overflowed(metric, maxSeries) {
      if (!overflowChannel.hasSubscribers) return;
      overflowChannel.publish({ name, metric, maxSeries } satisfies MetricsOverflowEvent);
    },
    collectFailed(metric, error) {
      self?.collectErrors.inc({ metric });
      if (!collectErrorChannel.hasSubscribers) return;
      const code = isRampartError(error) ? error.code : undefined;
      collectErrorChannel.publish({ name, metric, error, code } satisfies MetricsCollectErrorEvent);
    },
  };

  const factory = new MetricFactory({
    registry,
    prefix,
    maxSeriesPerMetric: parsed.maxSeriesPerMetric,
    context,
  });
  if (budgetShare !== undefined) self = selfMetricsOf(factory, registry, budgetShare);

  if (parsed.collectDefaultMetrics !== false) {
    startDefaultMetrics(
      registry,
      prefix,
      parsed.collectDefaultMetrics === true ? {} : parsed.collectDefaultMetrics,
    );
  }

  const render = createRenderer({
    registry,
    name,
    clock,
    renderDuration: self?.renderDuration,
    collectFailed: context.collectFailed,
  });

  const lifecycle = new Lifecycle();
  const tracker = createPipelineTracker(factory, clock, parsed.pipelineBuckets);

  const metrics: Metrics = {
    name,
    registry,
    counter: (config) => factory.counter(config, 'metrics.counter') as never,
    gauge: (config) => factory.gauge(config, 'metrics.gauge') as never,
    histogram: (config) => factory.histogram(config, 'metrics.histogram') as never,
    summary: (config) => factory.summary(config, 'metrics.summary') as never,
    async render(format = 'prometheus', renderOptions = {}) {
      if (format !== 'prometheus' && format !== 'openmetrics') {
        throw invalidArgument('render', 'format', "must be 'prometheus' or 'openmetrics'", format);
      }
      const { signal } = renderOptions;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        throw invalidArgument('render', 'options.signal', 'must be an AbortSignal', signal);
      }
      return await render(format, signal);
    },
    handler(handlerOptions = {}) {
      const { compress } = parseOptions(handlerOptionsSchema, handlerOptions, 'metrics.handler');
      return createScrapeHandler((format, signal) => metrics.render(format, { signal }), compress);
    },
    track: tracker.track,
    trackActive: tracker.trackActive,
    close: () => lifecycle.close(),
    [Symbol.asyncDispose]: () => lifecycle.close(),
  };
  attachInternals(metrics, { clock, factory, lifecycle });
  return metrics;
}

const handlerOptionsSchema = z.strictObject({
  compress: z.boolean({ error: 'must be a boolean' }).default(true),
});

/** The name prom-client's default metrics register first; present means already collected. */
const FIRST_DEFAULT_METRIC = 'process_cpu_user_seconds_total';

function startDefaultMetrics(
  registry: PromRegistry,
  prefix: string,
  options: {
    eventLoopMonitoringPrecision?: number | undefined;
    gcDurationBuckets?: readonly number[] | undefined;
  },
): void {
  if (registry.getSingleMetric(`${prefix}${FIRST_DEFAULT_METRIC}`) !== undefined) return;
  collectDefaultMetrics({
    register: registry as Registry,
    prefix,
    ...(options.eventLoopMonitoringPrecision === undefined
      ? {}
      : { eventLoopMonitoringPrecision: options.eventLoopMonitoringPrecision }),
    ...(options.gcDurationBuckets === undefined
      ? {}
      : { gcDurationBuckets: [...options.gcDurationBuckets] }),
  });
}
