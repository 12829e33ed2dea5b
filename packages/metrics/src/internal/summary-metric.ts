import { Summary as PromSummary, type SummaryConfiguration } from 'prom-client';
import type { BoundSummary } from '../summary.ts';
import type { LabelValues } from '../types.ts';
import {
  BaseMetric,
  type BaseMetricOptions,
  badValue,
  type MetricContext,
  type MetricShape,
  SeriesBase,
} from './base-metric.ts';
import { braces, formatValue, joinPairs } from './exposition-text.ts';
import type { PromSample } from './prom-client-data.ts';

const FINITE = 'must be a finite number';

/**
 * One label set of a summary. Its quantiles come from a private, label-less prom-client
 * `Summary` (sliding-window t-digest), which has no label key to compute on `observe`.
 */
export class SummarySeries extends SeriesBase {
  readonly sketch: PromSummary;

  constructor(
    sketch: PromSummary,
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ) {
    super(values, labelText, fold);
    this.sketch = sketch;
  }

  observe(value: number): void {
    this.sketch.observe(value);
    if (this.fold !== undefined) this.fold();
  }
}

export interface SummaryOptions extends BaseMetricOptions {
  readonly percentiles: readonly number[];
  readonly maxAgeSeconds: number | undefined;
  readonly ageBuckets: number | undefined;
  readonly pruneAgedBuckets: boolean;
  readonly compressCount: number;
}

/** A Rampart summary, registered in a prom-client registry. */
export class SummaryMetric extends BaseMetric<SummarySeries> {
  readonly type = 'summary' as const;
  readonly percentiles: readonly number[];
  protected readonly samplesPerSeries: number;
  private readonly options: SummaryOptions;
  private readonly whereObserve: string;

  constructor(options: SummaryOptions, context: MetricContext) {
    super(options, context);
    this.options = options;
    this.percentiles = Object.freeze([...options.percentiles]);
    this.samplesPerSeries = options.percentiles.length + 2;
    this.whereObserve = `${options.name}.observe`;
  }

  shape(): MetricShape {
    const { maxAgeSeconds, ageBuckets, pruneAgedBuckets, compressCount } = this.options;
    return {
      type: this.type,
      labelNames: this.labelNames,
      percentiles: this.percentiles,
      maxAgeSeconds,
      ageBuckets,
      pruneAgedBuckets,
      compressCount,
      aggregator: this.aggregator,
      collect: this.collectCallback,
    };
  }

  observe(first: unknown, second?: unknown): void {
    if (this.labelNames.length === 0) {
      if (!Number.isFinite(first)) throw badValue(this.whereObserve, FINITE, first);
      this.index.only().observe(first as number);
      return;
    }
    if (!Number.isFinite(second)) throw badValue(this.whereObserve, FINITE, second);
    this.index.find(first, this.whereObserve).observe(second as number);
  }

  startTimer(
    labels?: Partial<LabelValues<string>>,
  ): (endLabels?: Partial<LabelValues<string>>) => number {
    const startMs = this.context.clock.now();
    return (endLabels) => {
      const seconds = this.secondsSince(startMs);
      if (this.labelNames.length === 0) this.observe(seconds);
      else this.observe({ ...labels, ...endLabels }, seconds);
      return seconds;
    };
  }

  bind(labels: unknown): BoundSummary {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return new BoundSummaryHandle(this, values, this.index.resolve(values));
  }

  protected createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): SummarySeries {
    const { percentiles, maxAgeSeconds, ageBuckets, pruneAgedBuckets, compressCount } =
      this.options;
    const configuration: SummaryConfiguration<string> = {
      name: this.name,
      help: this.help,
      percentiles: [...percentiles],
      compressCount,
      pruneAgedBuckets,
      registers: [],
      ...(maxAgeSeconds === undefined ? {} : { maxAgeSeconds }),
      ...(ageBuckets === undefined ? {} : { ageBuckets }),
    };
    return new SummarySeries(new PromSummary(configuration), values, labelText, fold);
  }

  /** Quantile, sum and count lines, from the series' sketch; `''` when its window was pruned. */
  protected async renderSeries(series: SummarySeries, defaults: string): Promise<string> {
    const sketch = await this.sketchOf(series);
    if (sketch === undefined) return '';
    const pairs = joinPairs(series.labelText, defaults);
    let text = '';
    for (const sample of sketch) {
      const quantile = sample.labels.quantile;
      const name = sample.metricName ?? this.name;
      const labels = quantile === undefined ? pairs : joinPairs(`quantile="${quantile}"`, pairs);
      text += `${name}${braces(labels)} ${formatValue(sample.value)}\n`;
    }
    return text;
  }

  protected async samples(): Promise<PromSample[]> {
    const values: PromSample[] = [];
    for (const series of this.index.all()) {
      const sketch = await this.sketchOf(series);
      if (sketch === undefined) continue;
      const labels = this.labelsOf(series);
      for (const sample of sketch) {
        const sampleLabels = { ...sample.labels, ...labels };
        values.push(
          sample.metricName === undefined
            ? { labels: sampleLabels, value: sample.value }
            : { metricName: sample.metricName, labels: sampleLabels, value: sample.value },
        );
      }
    }
    return values;
  }

  /**
   * The quantile, sum and count samples of a series from its sketch; `undefined` when the
   * sketch pruned an empty window (the series is then removed, freeing its budget).
   */
  private async sketchOf(series: SummarySeries): Promise<PromSample[] | undefined> {
    const data = await series.sketch.get();
    const samples = data.values as PromSample[];
    if (samples.length > 0) return samples;
    if (series.fold === undefined && this.labelNames.length > 0)
      this.index.remove(series.labelValues);
    return undefined;
  }
}

/** A summary handle bound to one series. */
class BoundSummaryHandle implements BoundSummary {
  private series: SummarySeries;
  private readonly metric: SummaryMetric;
  private readonly values: readonly string[];

  constructor(metric: SummaryMetric, values: readonly string[], series: SummarySeries) {
    this.metric = metric;
    this.values = values;
    this.series = series;
  }

  observe(value: number): void {
    if (!Number.isFinite(value)) throw badValue(`${this.metric.name}.observe`, FINITE, value);
    let series = this.series;
    if (series.detached) {
      series = this.metric.index.resolve(this.values);
      this.series = series;
    }
    series.observe(value);
  }

  startTimer(): () => number {
    const clock = this.metric.context.clock;
    const startMs = clock.now();
    return () => {
      const seconds = (clock.now() - startMs) / 1000;
      this.observe(seconds);
      return seconds;
    };
  }
}
