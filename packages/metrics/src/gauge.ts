import type { Metric, MetricConfig } from './metric.ts';
import type { LabelArguments, LabelValues } from './types.ts';

/** Configuration of a {@link Gauge}. */
export interface GaugeConfig<Label extends string = never> extends MetricConfig<Label> {
  /**
   * Called before every scrape (awaited when it returns a promise, with a signal that aborts
   * when every client waiting for the scrape has gone), typically to `set` the
   * gauge from a pool, a queue or a cache. A failure is counted in
   * `rampart_metrics_collect_errors_total` and the scrape goes on with the current values.
   */
  readonly collect?: (gauge: Gauge<Label>, signal: AbortSignal) => void | Promise<void>;
}

/** A gauge bound to one label set: every call touches its series directly. */
export interface BoundGauge {
  /**
   * Sets the value.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a number.
   */
  set(value: number): void;
  /**
   * Adds `value` (default 1).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a number.
   */
  inc(value?: number): void;
  /**
   * Subtracts `value` (default 1).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a number.
   */
  dec(value?: number): void;
  /** Sets the value to the current Unix time in seconds. */
  setToCurrentTime(): void;
  /** Starts a timer; calling the returned function sets the gauge to the seconds elapsed and returns them. */
  startTimer(): () => number;
}

/**
 * A value that goes up and down (requests in flight, queue length, pool size). Get one with
 * `metrics.gauge(config)`.
 */
export interface Gauge<Label extends string = never> extends Metric<Label> {
  readonly type: 'gauge';
  /**
   * Sets the value of the series of `labels`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong or `value` is not a number.
   */
  set(...args: LabelArguments<Label, [value: number]>): void;
  /**
   * Adds `value` (default 1) to the series of `labels`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong or `value` is not a number.
   */
  inc(...args: LabelArguments<Label, [value?: number]>): void;
  /**
   * Subtracts `value` (default 1) from the series of `labels`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong or `value` is not a number.
   */
  dec(...args: LabelArguments<Label, [value?: number]>): void;
  /**
   * Sets the series of `labels` to the current Unix time in seconds.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong.
   */
  setToCurrentTime(...args: LabelArguments<Label, []>): void;
  /**
   * Starts a timer. The returned function sets the series of `labels` merged with
   * `endLabels` to the seconds elapsed and returns them.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} from the returned function when the merged labels are wrong.
   */
  startTimer(
    labels?: Partial<LabelValues<Label>>,
  ): (endLabels?: Partial<LabelValues<Label>>) => number;
  /**
   * A handle on one series for hot paths; create it once and keep it.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  bind(labels: LabelValues<Label>): BoundGauge;
}
