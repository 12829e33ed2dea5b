import type { BoundGauge } from '../gauge.ts';
import type { LabelValues } from '../types.ts';
import { type BaseMetricOptions, badValue, type MetricContext } from './base-metric.ts';
import { BoundSeries } from './bound-series.ts';
import { ValueMetric, type ValueSeries } from './value-metric.ts';

const NUMBER = 'must be a number';

type Operation = 'set' | 'inc' | 'dec';

/** A Rampart gauge, registered in a prom-client registry. */
export class GaugeMetric extends ValueMetric {
  readonly type = 'gauge' as const;
  private readonly where: Readonly<Record<Operation, string>>;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    super(options, context);
    this.where = {
      set: `${options.name}.set`,
      inc: `${options.name}.inc`,
      dec: `${options.name}.dec`,
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
    return this.timer(labels, (first, second) => this.set(first, second));
  }

  bind(labels: unknown): BoundGauge {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return new BoundGaugeHandle(this, values, this.index.resolve(values));
  }

  private change(operation: Operation, first: unknown, second: unknown, sign: 1 | -1): void {
    const labelled = this.labelNames.length > 0;
    const given = labelled ? second : first;
    const amount = given === undefined ? 1 : given;
    if (typeof amount !== 'number') throw badValue(this.where[operation], NUMBER, amount);
    this.seriesOf(labelled, first, this.where[operation]).add(sign * amount);
  }

  private seriesOf(labelled: boolean, labels: unknown, where: string): ValueSeries {
    return labelled ? this.index.find(labels, where) : this.index.only();
  }
}

/** A gauge handle bound to one series. */
class BoundGaugeHandle extends BoundSeries<ValueSeries> implements BoundGauge {
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
    return this.timer((seconds) => this.series().set(seconds));
  }

  private series(): ValueSeries {
    const series = this.current;
    return series.detached ? this.rebind() : series;
  }
}
