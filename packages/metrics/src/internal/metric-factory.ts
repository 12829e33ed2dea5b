/**
 * Get-or-create of metrics in a prom-client registry: a name already registered by Rampart
 * with the same type, labels and explicitly given shape returns that metric; anything else
 * is a {@link ConfigurationError} saying what differs. prom-client itself throws a bare
 * `Error('A metric with the name … has already been registered')` on any second registration.
 */
import { ConfigurationError, parseOptions } from '@rampart/errors';
import type { MetricType } from '../types.ts';
import type { BaseMetricOptions, MetricContext, MetricShape } from './base-metric.ts';
import {
  histogramConfigSchema,
  type ParsedMetricConfig,
  scalarConfigSchema,
  summaryConfigSchema,
} from './config-schemas.ts';
import { CounterMetric } from './counter-metric.ts';
import { GaugeMetric } from './gauge-metric.ts';
import { HistogramMetric } from './histogram-metric.ts';
import {
  type AnyMetric,
  isRampartMetric,
  type PromRegistry,
  registeredMetric,
  registerMetric,
} from './registry-access.ts';
import { SummaryMetric } from './summary-metric.ts';

/** prom-client's default histogram buckets, for durations in seconds. */
export const DEFAULT_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
]);

/** prom-client's default summary quantiles. */
export const DEFAULT_PERCENTILES: readonly number[] = Object.freeze([
  0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999,
]);

/** What a factory needs: where to register, how to name, and the instance's context. */
export interface MetricFactoryOptions {
  readonly registry: PromRegistry;
  readonly prefix: string;
  readonly maxSeriesPerMetric: number;
  readonly context: MetricContext;
}

/** Creates or returns metrics of one registry, for one metrics instance. */
export class MetricFactory {
  private readonly options: MetricFactoryOptions;

  constructor(options: MetricFactoryOptions) {
    this.options = options;
  }

  counter(input: unknown, where: string, prefixed = true): CounterMetric {
    const config = parseOptions(scalarConfigSchema, input, where);
    return this.obtain(
      where,
      'counter',
      config,
      prefixed,
      {},
      (options) => new CounterMetric(options, this.options.context),
    );
  }

  gauge(input: unknown, where: string, prefixed = true): GaugeMetric {
    const config = parseOptions(scalarConfigSchema, input, where);
    return this.obtain(
      where,
      'gauge',
      config,
      prefixed,
      {},
      (options) => new GaugeMetric(options, this.options.context),
    );
  }

  histogram(input: unknown, where: string, prefixed = true): HistogramMetric {
    const config = parseOptions(histogramConfigSchema, input, where);
    return this.obtain(
      where,
      'histogram',
      config,
      prefixed,
      { buckets: config.buckets },
      (options) =>
        new HistogramMetric(
          { ...options, buckets: config.buckets ?? DEFAULT_BUCKETS },
          this.options.context,
        ),
    );
  }

  summary(input: unknown, where: string, prefixed = true): SummaryMetric {
    const config = parseOptions(summaryConfigSchema, input, where);
    const { percentiles, maxAgeSeconds, ageBuckets, pruneAgedBuckets, compressCount } = config;
    return this.obtain(
      where,
      'summary',
      config,
      prefixed,
      { percentiles, maxAgeSeconds, ageBuckets, pruneAgedBuckets, compressCount },
      (options) =>
        new SummaryMetric(
          {
            ...options,
            percentiles: percentiles ?? DEFAULT_PERCENTILES,
            maxAgeSeconds,
            ageBuckets,
            pruneAgedBuckets: pruneAgedBuckets ?? false,
            compressCount: compressCount ?? 1000,
          },
          this.options.context,
        ),
    );
  }

  private obtain<Metric extends AnyMetric>(
    where: string,
    type: MetricType,
    config: ParsedMetricConfig,
    prefixed: boolean,
    asked: AskedShape,
    build: (options: BaseMetricOptions) => Metric,
  ): Metric {
    const { registry, prefix, maxSeriesPerMetric } = this.options;
    const name = prefixed ? `${prefix}${config.name}` : config.name;
    const labelNames = config.labelNames ?? [];
    const existing = registeredMetric(registry, name);
    if (existing !== undefined) {
      if (!isRampartMetric(existing)) {
        const kind = (existing as { type?: unknown }).type;
        throw new ConfigurationError(
          `${where}: \`${name}\` is already registered in this registry by code that does not use @rampart/metrics (a prom-client ${typeof kind === 'string' ? kind : 'metric'}); choose another name or remove that metric`,
          {
            issues: [
              {
                path: 'name',
                message: 'is already registered by another library',
                code: 'conflict',
              },
            ],
          },
        );
      }
      const difference = differenceOf(existing.shape(), {
        type,
        labelNames,
        aggregator: config.aggregator,
        collect: config.collect,
        ...asked,
      });
      if (difference !== undefined) {
        throw new ConfigurationError(
          `${where}: \`${name}\` is already registered ${difference.message}`,
          {
            issues: [{ path: difference.path, message: difference.message, code: 'conflict' }],
          },
        );
      }
      return existing as Metric;
    }
    const metric = build({
      name,
      help: config.help,
      labelNames: Object.freeze([...labelNames]),
      maxSeries: config.maxSeries ?? maxSeriesPerMetric,
      aggregator: config.aggregator ?? 'sum',
      collect: config.collect,
    });
    registerMetric(registry, metric);
    return metric;
  }
}

type AskedShape = { readonly [Key in keyof MetricShape]?: MetricShape[Key] | undefined };

/** How an asked shape differs from the registered one; `undefined` when it fits. */
function differenceOf(
  registered: MetricShape,
  asked: AskedShape,
): { path: string; message: string } | undefined {
  if (registered.type !== asked.type) {
    return { path: 'type', message: `as a ${registered.type}, not a ${asked.type ?? 'metric'}` };
  }
  const askedLabels = asked.labelNames ?? [];
  if (!sameSet(registered.labelNames, askedLabels)) {
    return {
      path: 'labelNames',
      message: `with labelNames [${registered.labelNames.join(', ')}], not [${askedLabels.join(', ')}]`,
    };
  }
  for (const key of ['buckets', 'percentiles'] as const) {
    const wanted = asked[key];
    const actual = registered[key];
    if (wanted !== undefined && !sameList(actual ?? [], wanted)) {
      return {
        path: key,
        message: `with ${key} [${(actual ?? []).join(', ')}], not [${wanted.join(', ')}]`,
      };
    }
  }
  for (const key of [
    'maxAgeSeconds',
    'ageBuckets',
    'pruneAgedBuckets',
    'compressCount',
    'aggregator',
  ] as const) {
    const wanted = asked[key];
    if (wanted !== undefined && wanted !== registered[key]) {
      return {
        path: key,
        message: `with ${key} ${String(registered[key])}, not ${String(wanted)}`,
      };
    }
  }
  if (asked.collect !== undefined && asked.collect !== registered.collect) {
    return { path: 'collect', message: 'with another collect callback' };
  }
  return undefined;
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((name) => right.includes(name));
}

function sameList(left: readonly number[], right: readonly number[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}
