import {
  type BaseMetricOptions,
  type MetricContext,
  type MetricShape,
  SeriesBase,
} from './base-metric.ts';
import { formatValue, joinPairs } from './exposition-text.ts';
import { BoundObserver, ObservingMetric } from './observing-metric.ts';
import type { PromMetricData, PromSample } from './prom-client-data.ts';

/**
 * One label set of a histogram: a count per bucket (not cumulative, `+Inf` last) and a sum.
 * Counts live in a plain array of small integers, which V8 stores unboxed and which costs
 * far less memory than a typed array (no buffer object behind it).
 */
export class HistogramSeries extends SeriesBase {
  readonly counts: number[];
  readonly bounds: Float64Array;
  sum = 0;

  constructor(
    bounds: Float64Array,
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ) {
    super(values, labelText, fold);
    this.bounds = bounds;
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  /** Adds one finite observation. */
  observe(value: number): void {
    const bounds = this.bounds;
    const last = bounds.length;
    let bucket = 0;
    while (bucket < last && value > (bounds[bucket] as number)) bucket++;
    this.counts[bucket] = (this.counts[bucket] as number) + 1;
    this.sum += value;
    if (this.fold !== undefined) this.fold();
  }

  /** How many observations in total. */
  count(): number {
    let total = 0;
    for (const count of this.counts) total += count;
    return total;
  }
}

export interface HistogramOptions extends BaseMetricOptions {
  readonly buckets: readonly number[];
}

/** A Rampart histogram, registered in a prom-client registry. */
export class HistogramMetric extends ObservingMetric<HistogramSeries> {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];
  protected readonly samplesPerSeries: number;
  private readonly bounds: Float64Array;
  private readonly boundTexts: readonly string[];

  constructor(options: HistogramOptions, context: MetricContext) {
    super(options, context);
    this.buckets = Object.freeze([...options.buckets]);
    this.bounds = Float64Array.from(options.buckets);
    this.boundTexts = [...options.buckets.map((bound) => formatValue(bound)), '+Inf'];
    this.samplesPerSeries = this.boundTexts.length + 2;
  }

  override shape(): MetricShape {
    return { ...super.shape(), buckets: this.buckets };
  }

  /** prom-client's `getForPromString()`: the data `registry.metrics()` renders. */
  async getForPromString(): Promise<PromMetricData> {
    await this.collect();
    return await this.data(false);
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
    series: HistogramSeries,
  ): BoundObserver<HistogramSeries> {
    return new BoundHistogramHandle(this, values, series);
  }

  protected createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): HistogramSeries {
    return new HistogramSeries(this.bounds, values, labelText, fold);
  }

  protected renderSeries(series: HistogramSeries, defaults: string): string {
    const name = this.name;
    const shared = joinPairs(defaults, series.labelText);
    const tail = shared === '' ? '"} ' : `",${shared}} `;
    const texts = this.boundTexts;
    const counts = series.counts;
    let text = '';
    let cumulative = 0;
    for (let bucket = 0; bucket < texts.length; bucket++) {
      cumulative += counts[bucket] as number;
      text += `${name}_bucket{le="${texts[bucket]}${tail}${cumulative}\n`;
    }
    const braces = shared === '' ? ' ' : `{${shared}} `;
    return `${text}${name}_sum${braces}${formatValue(series.sum)}\n${name}_count${braces}${cumulative}\n`;
  }

  protected samples(splay: boolean): PromSample[] {
    const bucketName = `${this.name}_bucket`;
    const values: PromSample[] = [];
    for (const series of this.index.all()) {
      const labels = this.labelsOf(series);
      let cumulative = 0;
      for (let bucket = 0; bucket <= this.buckets.length; bucket++) {
        cumulative += series.counts[bucket] as number;
        const le = bucket < this.buckets.length ? (this.buckets[bucket] as number) : '+Inf';
        values.push(
          splay
            ? {
                labels: { le, ...labels },
                value: cumulative,
                metricName: bucketName,
                exemplar: null,
              }
            : {
                labels: { le },
                sharedLabels: labels,
                value: cumulative,
                metricName: bucketName,
                exemplar: null,
              },
        );
      }
      const sum = { value: series.sum, metricName: `${this.name}_sum` };
      const count = { value: cumulative, metricName: `${this.name}_count` };
      if (splay) {
        values.push({ ...sum, labels: { ...labels } }, { ...count, labels: { ...labels } });
      } else {
        values.push(
          { ...sum, labels: {}, sharedLabels: labels },
          { ...count, labels: {}, sharedLabels: labels },
        );
      }
    }
    return values;
  }
}

/** A histogram handle bound to one series (`observe` is here on purpose: see observing-metric.ts). */
class BoundHistogramHandle extends BoundObserver<HistogramSeries> {
  override observe(value: number): void {
    if (!Number.isFinite(value)) throw this.notFinite(value);
    let series = this.current;
    if (series.detached) series = this.rebind();
    series.observe(value);
  }
}
