import type { Metric, MetricConfig } from './metric.ts';
import type { LabelArguments, LabelValues } from './types.ts';

/** Configuration of a {@link Histogram}. */
export interface HistogramConfig<Label extends string = never> extends MetricConfig<Label> {
  /**
   * Upper bounds of the buckets, strictly increasing and finite (`+Inf` is always added).
   * @default prom-client's `[0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]`, for
   *   durations in seconds; HTTP servers use {@link HTTP_SERVER_DURATION_BUCKETS}.
   */
  readonly buckets?: readonly number[];
  /**
   * Called before every scrape (awaited when it returns a promise, with a signal that aborts
   * when every client waiting for the scrape has gone). A failure is counted in
   * `rampart_metrics_collect_errors_total` and the scrape goes on with the current values.
   */
  readonly collect?: (histogram: Histogram<Label>, signal: AbortSignal) => void | Promise<void>;
}

/** A histogram bound to one label set: `observe` touches its series directly, with no label lookup. */
export interface BoundHistogram {
  /**
   * Records one observation.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a finite number.
   */
  observe(value: number): void;
  /** Starts a timer; calling the returned function observes the seconds elapsed and returns them. */
  startTimer(): () => number;
}

/**
 * A distribution of observations in buckets (request durations, payload sizes), from which
 * Prometheus computes quantiles across instances. Get one with `metrics.histogram(config)`.
 */
export interface Histogram<Label extends string = never> extends Metric<Label> {
  readonly type: 'histogram';
  /** The bucket upper bounds, `+Inf` not included. */
  readonly buckets: readonly number[];
  /**
   * Records one observation in the series of `labels`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong or `value` is not a finite number.
   */
  observe(...args: LabelArguments<Label, [value: number]>): void;
  /**
   * Starts a timer. The returned function observes the seconds elapsed into the series of
   * `labels` merged with `endLabels` (labels known only at the end, like a status code) and
   * returns them.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} from the returned function when the merged labels are wrong.
   */
  startTimer(
    labels?: Partial<LabelValues<Label>>,
  ): (endLabels?: Partial<LabelValues<Label>>) => number;
  /**
   * A handle on one series for hot paths; create it once and keep it.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  bind(labels: LabelValues<Label>): BoundHistogram;
}
