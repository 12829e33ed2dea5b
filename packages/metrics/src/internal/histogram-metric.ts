import type { BoundHistogram } from '../histogram.ts';
import type { LabelValues } from '../types.ts';
import {
  BaseMetric,
  type BaseMetricOptions,
  badValue,
  type MetricContext,
  type MetricShape,
  SeriesBase,
} from './base-metric.ts';
import { formatValue, joinPairs } from './exposition-text.ts';
import type { PromMetricData, PromSample } from './prom-client-data.ts';

const FINITE = 'must be a finite number';

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
export class HistogramMetric extends BaseMetric<HistogramSeries> {
  readonly type = 'histogram' as const;
  readonly buckets: readonly number[];
  protected readonly samplesPerSeries: number;
  private readonly bounds: Float64Array;
  private readonly boundTexts: readonly string[];
  private readonly whereObserve: string;

  constructor(options: HistogramOptions, context: MetricContext) {
    super(options, context);
    this.whereObserve = `${options.name}.observe`;
    this.buckets = Object.freeze([...options.buckets]);
    this.bounds = Float64Array.from(options.buckets);
    this.boundTexts = [...options.buckets.map((bound) => formatValue(bound)), '+Inf'];
    this.samplesPerSeries = this.boundTexts.length + 2;
  }

  shape(): MetricShape {
    return {
      type: this.type,
      labelNames: this.labelNames,
      buckets: this.buckets,
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

  bind(labels: unknown): BoundHistogram {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return new BoundHistogramHandle(this, values, this.index.resolve(values));
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

  /** prom-client's `getForPromString()`: the data `registry.metrics()` renders. */
  async getForPromString(): Promise<PromMetricData> {
    await this.collect();
    return await this.data(false);
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

/** A histogram handle bound to one series. */
class BoundHistogramHandle implements BoundHistogram {
  private series: HistogramSeries;
  private readonly metric: HistogramMetric;
  private readonly values: readonly string[];

  constructor(metric: HistogramMetric, values: readonly string[], series: HistogramSeries) {
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
