import type { BoundCounter } from '../counter.ts';
import type { ExpositionFormat } from '../types.ts';
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

const NON_NEGATIVE = 'must be a finite number ≥ 0';

/** One label set of a counter. */
export class CounterSeries extends SeriesBase {
  value = 0;

  /** Adds a valid increment. */
  add(amount: number): void {
    this.value += amount;
    if (this.fold !== undefined) this.fold();
  }
}

/** A Rampart counter, registered in a prom-client registry. */
export class CounterMetric extends BaseMetric<CounterSeries> {
  readonly type = 'counter' as const;
  protected readonly samplesPerSeries = 1;
  private readonly whereInc: string;
  /** The sample name in OpenMetrics, where counter samples always end in `_total`. */
  private readonly openMetricsName: string;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    super(options, context);
    this.whereInc = `${options.name}.inc`;
    this.openMetricsName = options.name.endsWith('_total') ? options.name : `${options.name}_total`;
  }

  shape(): MetricShape {
    return {
      type: this.type,
      labelNames: this.labelNames,
      aggregator: this.aggregator,
      collect: this.collectCallback,
    };
  }

  inc(first?: unknown, second?: unknown): void {
    if (this.labelNames.length === 0) {
      const amount = first === undefined ? 1 : first;
      if (!(Number.isFinite(amount) && (amount as number) >= 0)) {
        throw badValue(this.whereInc, NON_NEGATIVE, amount);
      }
      this.index.only().add(amount as number);
      return;
    }
    const amount = second === undefined ? 1 : second;
    if (!(Number.isFinite(amount) && (amount as number) >= 0)) {
      throw badValue(this.whereInc, NON_NEGATIVE, amount);
    }
    this.index.find(first, this.whereInc).add(amount as number);
  }

  bind(labels: unknown): BoundCounter {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return new BoundCounterHandle(this, values, this.index.resolve(values));
  }

  protected createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): CounterSeries {
    return new CounterSeries(values, labelText, fold);
  }

  protected renderSeries(
    series: CounterSeries,
    defaults: string,
    format: ExpositionFormat,
  ): string {
    const name = format === 'openmetrics' ? this.openMetricsName : this.name;
    return `${name}${braces(joinPairs(series.labelText, defaults))} ${formatValue(series.value)}\n`;
  }

  protected samples(): PromSample[] {
    const values: PromSample[] = [];
    for (const series of this.index.all()) {
      values.push({ value: series.value, labels: this.labelsOf(series) });
    }
    return values;
  }
}

/** A counter handle bound to one series. */
class BoundCounterHandle implements BoundCounter {
  private series: CounterSeries;
  private readonly metric: CounterMetric;
  private readonly values: readonly string[];

  constructor(metric: CounterMetric, values: readonly string[], series: CounterSeries) {
    this.metric = metric;
    this.values = values;
    this.series = series;
  }

  inc(amount = 1): void {
    if (!(Number.isFinite(amount) && amount >= 0)) {
      throw badValue(`${this.metric.name}.inc`, NON_NEGATIVE, amount);
    }
    let series = this.series;
    if (series.detached) {
      series = this.metric.index.resolve(this.values);
      this.series = series;
    }
    series.add(amount);
  }
}
