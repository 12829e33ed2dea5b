import type { BoundCounter } from '../counter.ts';
import type { ExpositionFormat } from '../types.ts';
import { type BaseMetricOptions, badValue, type MetricContext } from './base-metric.ts';
import { BoundSeries } from './bound-series.ts';
import { ValueMetric, type ValueSeries } from './value-metric.ts';

const NON_NEGATIVE = 'must be a finite number ≥ 0';

/** A Rampart counter, registered in a prom-client registry. */
export class CounterMetric extends ValueMetric {
  readonly type = 'counter' as const;
  private readonly whereInc: string;
  /** The sample name in OpenMetrics, where counter samples always end in `_total`. */
  private readonly openMetricsName: string;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    super(options, context);
    this.whereInc = `${options.name}.inc`;
    this.openMetricsName = options.name.endsWith('_total') ? options.name : `${options.name}_total`;
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

  protected override sampleName(format: ExpositionFormat): string {
    return format === 'openmetrics' ? this.openMetricsName : this.name;
  }
}

/** A counter handle bound to one series. */
class BoundCounterHandle extends BoundSeries<ValueSeries> implements BoundCounter {
  inc(amount = 1): void {
    if (!(Number.isFinite(amount) && amount >= 0)) {
      throw badValue(`${this.metric.name}.inc`, NON_NEGATIVE, amount);
    }
    let series = this.current;
    if (series.detached) series = this.rebind();
    series.add(amount);
  }
}
