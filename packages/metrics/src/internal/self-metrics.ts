/**
 * The metrics `@rampart/metrics` keeps about itself, one set per registry (get-or-create,
 * so instances sharing a registry share them). Their names carry no instance prefix, so
 * dashboards and alerts work everywhere.
 */
import type { CounterMetric } from './counter-metric.ts';
import type { GaugeMetric } from './gauge-metric.ts';
import type { HistogramMetric } from './histogram-metric.ts';
import type { MetricFactory } from './metric-factory.ts';
import { isRampartMetric, type PromRegistry, registeredMetrics } from './registry-access.ts';

/** The prefix of every self-metric; their series budgets are fixed, so they are not listed. */
const SELF_PREFIX = 'rampart_metrics_';

/** Names of the self-metrics. */
export const SELF_METRIC_NAMES = {
  overflow: 'rampart_metrics_overflow_total',
  collectErrors: 'rampart_metrics_collect_errors_total',
  series: 'rampart_metrics_series',
  maxSeries: 'rampart_metrics_max_series',
  renderDuration: 'rampart_metrics_render_duration_seconds',
} as const;

/**
 * Budget of the self-metrics: their only label is a metric name (or a format), so they hold
 * one series per metric of the registry, whatever the instances' `maxSeriesPerMetric`.
 */
const SELF_MAX_SERIES = 10_000;

/** Buckets of the render-time histogram: a millisecond to ten seconds. */
const RENDER_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface SelfMetrics {
  readonly overflow: CounterMetric;
  readonly collectErrors: CounterMetric;
  readonly series: GaugeMetric;
  readonly maxSeries: GaugeMetric;
  readonly renderDuration: HistogramMetric;
}

/**
 * Gets or creates the self-metrics of the factory's registry. Per-metric series are written
 * for a metric once it holds `budgetShare` of its series budget (see `seriesCollector`).
 */
export function selfMetricsOf(
  factory: MetricFactory,
  registry: PromRegistry,
  budgetShare: number,
): SelfMetrics {
  const where = 'createMetrics';
  const overflow = factory.counter(
    {
      name: SELF_METRIC_NAMES.overflow,
      help: 'Recordings folded into the overflow="true" series of a metric that reached its series budget.',
      labelNames: ['metric'],
      maxSeries: SELF_MAX_SERIES,
    },
    where,
    false,
  );
  const collectErrors = factory.counter(
    {
      name: SELF_METRIC_NAMES.collectErrors,
      help: 'Failed collect callbacks; the scrape went on with the values the metric had.',
      labelNames: ['metric'],
      maxSeries: SELF_MAX_SERIES,
    },
    where,
    false,
  );
  const maxSeries = factory.gauge(
    {
      name: SELF_METRIC_NAMES.maxSeries,
      help: 'The series budget of each metric (set at scrape time): label sets beyond it are folded into one overflow series.',
      labelNames: ['metric'],
      maxSeries: SELF_MAX_SERIES,
    },
    where,
    false,
  );
  const series = factory.gauge(
    {
      name: SELF_METRIC_NAMES.series,
      help: 'Label sets held by each metric at scrape time, the overflow series not included.',
      labelNames: ['metric'],
      maxSeries: SELF_MAX_SERIES,
      collect: seriesCollector(registry, budgetShare),
    },
    where,
    false,
  );
  const renderDuration = factory.histogram(
    {
      name: SELF_METRIC_NAMES.renderDuration,
      help: 'Time to render a scrape, pauses for other work included.',
      labelNames: ['format'],
      maxSeries: SELF_MAX_SERIES,
      buckets: RENDER_BUCKETS,
    },
    where,
    false,
  );
  return { overflow, collectErrors, series, maxSeries, renderDuration };
}

/** One collector per registry, so get-or-create from a second instance finds the same callback. */
const collectors = new WeakMap<PromRegistry, (gauge: never) => void>();

/** The self-metric registered under `name` in `registry`, if it is ours and of that type. */
function selfMetric<T>(registry: PromRegistry, name: string, type: string): T | undefined {
  const metric = registry.getSingleMetric(name);
  return isRampartMetric(metric) && metric.type === type ? (metric as unknown as T) : undefined;
}

/**
 * At scrape time: the series held and the budget of every metric holding at least
 * `budgetShare` of its budget, and a zero overflow series for it (so the first fold is seen
 * by `increase()`). Metrics further from their budget write no self-metric line.
 */
function seriesCollector(registry: PromRegistry, budgetShare: number): (gauge: never) => void {
  const known = collectors.get(registry);
  if (known !== undefined) return known;
  const collector = (gauge: never): void => {
    const seriesGauge = gauge as GaugeMetric;
    const budgetGauge = selfMetric<GaugeMetric>(registry, SELF_METRIC_NAMES.maxSeries, 'gauge');
    const overflow = selfMetric<CounterMetric>(registry, SELF_METRIC_NAMES.overflow, 'counter');
    seriesGauge.reset();
    budgetGauge?.reset();
    for (const metric of registeredMetrics(registry)) {
      if (!isRampartMetric(metric) || metric.name.startsWith(SELF_PREFIX)) continue;
      if (metric.seriesCount < budgetShare * metric.maxSeries) continue;
      seriesGauge.set({ metric: metric.name }, metric.seriesCount);
      budgetGauge?.set({ metric: metric.name }, metric.maxSeries);
      overflow?.bind({ metric: metric.name });
    }
  };
  collectors.set(registry, collector);
  return collector;
}
