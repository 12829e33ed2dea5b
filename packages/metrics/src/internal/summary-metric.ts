import { Summary as PromSummary, type SummaryConfiguration } from 'prom-client';
import {
  type BaseMetricOptions,
  type MetricContext,
  type MetricShape,
  SeriesBase,
} from './base-metric.ts';
import { braces, formatValue, joinPairs } from './exposition-text.ts';
import { BoundObserver, ObservingMetric } from './observing-metric.ts';
import type { PromSample } from './prom-client-data.ts';

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
export class SummaryMetric extends ObservingMetric<SummarySeries> {
  readonly type = 'summary' as const;
  readonly percentiles: readonly number[];
  protected readonly samplesPerSeries: number;
  private readonly options: SummaryOptions;

  constructor(options: SummaryOptions, context: MetricContext) {
    super(options, context);
    this.options = options;
    this.percentiles = Object.freeze([...options.percentiles]);
    this.samplesPerSeries = options.percentiles.length + 2;
  }

  override shape(): MetricShape {
    const { maxAgeSeconds, ageBuckets, pruneAgedBuckets, compressCount } = this.options;
    return {
      ...super.shape(),
      percentiles: this.percentiles,
      maxAgeSeconds,
      ageBuckets,
      pruneAgedBuckets,
      compressCount,
    };
  }

  /** Written out here on purpose, to stay monomorphic: see observing-metric.ts. */
  override observe(first: unknown, second?: unknown): void {
    if (this.labelNames.length === 0) {
      if (!Number.isFinite(first)) throw this.notFinite(first);
      this.index.only().observe(first as number);
      return;
    }
    if (!Number.isFinite(second)) throw this.notFinite(second);
    this.index.find(first, this.whereObserve).observe(second as number);
  }

  protected createHandle(
    values: readonly string[],
    series: SummarySeries,
  ): BoundObserver<SummarySeries> {
    return new BoundSummaryHandle(this, values, series);
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

/** A summary handle bound to one series (`observe` is here on purpose: see observing-metric.ts). */
class BoundSummaryHandle extends BoundObserver<SummarySeries> {
  override observe(value: number): void {
    if (!Number.isFinite(value)) throw this.notFinite(value);
    let series = this.current;
    if (series.detached) series = this.rebind();
    series.observe(value);
  }
}
