import type { BoundGauge } from '../gauge.ts';
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

const NUMBER = 'must be a number';

/** One label set of a gauge. */
export class GaugeSeries extends SeriesBase {
  value = 0;

  set(value: number): void {
    this.value = value;
    if (this.fold !== undefined) this.fold();
  }

  add(amount: number): void {
    this.value += amount;
    if (this.fold !== undefined) this.fold();
  }
}

type Operation = 'set' | 'inc' | 'dec';

/** A Rampart gauge, registered in a prom-client registry. */
export class GaugeMetric extends BaseMetric<GaugeSeries> {
  readonly type = 'gauge' as const;
  protected readonly samplesPerSeries = 1;
  private readonly where: Readonly<Record<Operation, string>>;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    super(options, context);
    this.where = {
      set: `${options.name}.set`,
      inc: `${options.name}.inc`,
      dec: `${options.name}.dec`,
    };
  }

  shape(): MetricShape {
    return {
      type: this.type,
      labelNames: this.labelNames,
      aggregator: this.aggregator,
      collect: this.collectCallback,
    };
  }

  set(first: unknown, second?: unknown): void {
    const labelled = this.labelNames.length > 0;
    const value = labelled ? second : first;
    if (typeof value !== 'number') throw badValue(this.where.set, NUMBER, value);
    this.seriesOf(labelled, first, this.where.set).set(value);
  }

  inc(first?: unknown, second?: unknown): void {
    this.change('inc', first, second, 1);
  }

  dec(first?: unknown, second?: unknown): void {
    this.change('dec', first, second, -1);
  }

  setToCurrentTime(labels?: unknown): void {
    const now = Date.now() / 1000;
    if (this.labelNames.length === 0) this.set(now);
    else this.set(labels, now);
  }

  startTimer(
    labels?: Partial<LabelValues<string>>,
  ): (endLabels?: Partial<LabelValues<string>>) => number {
    const startMs = this.context.clock.now();
    return (endLabels) => {
      const seconds = this.secondsSince(startMs);
      if (this.labelNames.length === 0) this.set(seconds);
      else this.set({ ...labels, ...endLabels }, seconds);
      return seconds;
    };
  }

  bind(labels: unknown): BoundGauge {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return new BoundGaugeHandle(this, values, this.index.resolve(values));
  }

  protected createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): GaugeSeries {
    return new GaugeSeries(values, labelText, fold);
  }

  protected renderSeries(series: GaugeSeries, defaults: string): string {
    return `${this.name}${braces(joinPairs(series.labelText, defaults))} ${formatValue(series.value)}\n`;
  }

  protected samples(): PromSample[] {
    const values: PromSample[] = [];
    for (const series of this.index.all()) {
      values.push({ value: series.value, labels: this.labelsOf(series) });
    }
    return values;
  }

  private change(operation: Operation, first: unknown, second: unknown, sign: 1 | -1): void {
    const labelled = this.labelNames.length > 0;
    const given = labelled ? second : first;
    const amount = given === undefined ? 1 : given;
    if (typeof amount !== 'number') throw badValue(this.where[operation], NUMBER, amount);
    this.seriesOf(labelled, first, this.where[operation]).add(sign * amount);
  }

  private seriesOf(labelled: boolean, labels: unknown, where: string): GaugeSeries {
    return labelled ? this.index.find(labels, where) : this.index.only();
  }
}

/** A gauge handle bound to one series. */
class BoundGaugeHandle implements BoundGauge {
  private current: GaugeSeries;
  private readonly metric: GaugeMetric;
  private readonly values: readonly string[];

  constructor(metric: GaugeMetric, values: readonly string[], series: GaugeSeries) {
    this.metric = metric;
    this.values = values;
    this.current = series;
  }

  set(value: number): void {
    if (typeof value !== 'number') throw badValue(`${this.metric.name}.set`, NUMBER, value);
    this.series().set(value);
  }

  inc(amount = 1): void {
    if (typeof amount !== 'number') throw badValue(`${this.metric.name}.inc`, NUMBER, amount);
    this.series().add(amount);
  }

  dec(amount = 1): void {
    if (typeof amount !== 'number') throw badValue(`${this.metric.name}.dec`, NUMBER, amount);
    this.series().add(-amount);
  }

  setToCurrentTime(): void {
    this.series().set(Date.now() / 1000);
  }

  startTimer(): () => number {
    const clock = this.metric.context.clock;
    const startMs = clock.now();
    return () => {
      const seconds = (clock.now() - startMs) / 1000;
      this.series().set(seconds);
      return seconds;
    };
  }

  private series(): GaugeSeries {
    const series = this.current;
    if (!series.detached) return series;
    const fresh = this.metric.index.resolve(this.values);
    this.current = fresh;
    return fresh;
  }
}
