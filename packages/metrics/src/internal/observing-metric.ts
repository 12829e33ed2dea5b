/**
 * What histograms and summaries share: validating observations, timers and bound handles.
 *
 * The two hot `observe` methods (labelled, and on a bound handle) are written out in each
 * subclass on purpose: written once here, their inline caches would see both series classes
 * as soon as a process records into a histogram and a summary, and go polymorphic (measured
 * 5–13 % slower on a histogram's bound `observe`). Everything else is shared.
 */
import type { ValidationError } from '@rampart/errors';
import type { BoundHistogram } from '../histogram.ts';
import type { BoundSummary } from '../summary.ts';
import type { LabelValues } from '../types.ts';
import {
  BaseMetric,
  type BaseMetricOptions,
  badValue,
  type MetricContext,
  type SeriesBase,
} from './base-metric.ts';
import { BoundSeries } from './bound-series.ts';

const FINITE = 'must be a finite number';

/** A series that records observations. */
export interface ObservingSeries extends SeriesBase {
  /** Records one finite observation. */
  observe(value: number): void;
}

/** A metric of observations (histogram, summary), registered in a prom-client registry. */
export abstract class ObservingMetric<Series extends ObservingSeries> extends BaseMetric<Series> {
  protected readonly whereObserve: string;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    super(options, context);
    this.whereObserve = `${options.name}.observe`;
  }

  /**
   * Records `second` in the series of the labels `first`, or `first` in the only series of
   * a metric without labels.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when the value is not finite or the labels are bad.
   */
  abstract observe(first: unknown, second?: unknown): void;

  startTimer(
    labels?: Partial<LabelValues<string>>,
  ): (endLabels?: Partial<LabelValues<string>>) => number {
    return this.timer(labels, (first, second) => this.observe(first, second));
  }

  bind(labels: unknown): BoundHistogram & BoundSummary {
    const values = this.index.valuesOf(labels, `${this.name}.bind`);
    return this.createHandle(values, this.index.resolve(values));
  }

  /** The {@link ValidationError} of an observation that is not a finite number. */
  protected notFinite(value: unknown): ValidationError {
    return badValue(this.whereObserve, FINITE, value);
  }

  protected abstract createHandle(values: readonly string[], series: Series): BoundObserver<Series>;
}

/** A histogram or summary handle bound to one series. */
export abstract class BoundObserver<Series extends ObservingSeries>
  extends BoundSeries<Series>
  implements BoundHistogram, BoundSummary
{
  /**
   * Records one observation.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a finite number.
   */
  abstract observe(value: number): void;

  startTimer(): () => number {
    return this.timer((seconds) => this.observe(seconds));
  }

  /** The {@link ValidationError} of an observation that is not a finite number. */
  protected notFinite(value: unknown): ValidationError {
    return badValue(`${this.metric.name}.observe`, FINITE, value);
  }
}
