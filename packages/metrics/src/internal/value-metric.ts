/**
 * What counters and gauges share: one number per label set, rendered as one sample line.
 */
import type { ExpositionFormat } from '../types.ts';
import { BaseMetric, SeriesBase } from './base-metric.ts';
import { braces, formatValue, joinPairs } from './exposition-text.ts';
import type { PromSample } from './prom-client-data.ts';

/** One label set of a counter or a gauge. */
export class ValueSeries extends SeriesBase {
  value = 0;

  /** Replaces the value (gauges only). */
  set(value: number): void {
    this.value = value;
    if (this.fold !== undefined) this.fold();
  }

  /** Adds a valid amount. */
  add(amount: number): void {
    this.value += amount;
    if (this.fold !== undefined) this.fold();
  }
}

/** A metric with one value per series, registered in a prom-client registry. */
export abstract class ValueMetric extends BaseMetric<ValueSeries> {
  protected readonly samplesPerSeries = 1;

  protected createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): ValueSeries {
    return new ValueSeries(values, labelText, fold);
  }

  protected renderSeries(series: ValueSeries, defaults: string, format: ExpositionFormat): string {
    return `${this.sampleName(format)}${braces(joinPairs(series.labelText, defaults))} ${formatValue(series.value)}\n`;
  }

  protected samples(): PromSample[] {
    const values: PromSample[] = [];
    for (const series of this.index.all()) {
      values.push({ value: series.value, labels: this.labelsOf(series) });
    }
    return values;
  }

  /** The name of the series' sample line in `format`. */
  protected sampleName(_format: ExpositionFormat): string {
    return this.name;
  }
}
