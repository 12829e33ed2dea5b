import type { Metric, MetricConfig } from './metric.ts';
import type { LabelArguments, LabelValues } from './types.ts';

/** Configuration of a {@link Counter}. */
export interface CounterConfig<Label extends string = never> extends MetricConfig<Label> {
  /**
   * Called before every scrape (awaited when it returns a promise, with a signal that aborts
   * when every client waiting for the scrape has gone), to bring the counter
   * up to date from another source. A failure is counted in
   * `rampart_metrics_collect_errors_total` and the scrape goes on with the current values.
   */
  readonly collect?: (counter: Counter<Label>, signal: AbortSignal) => void | Promise<void>;
}

/** A counter bound to one label set: `inc` touches its series directly, with no label lookup. */
export interface BoundCounter {
  /**
   * Adds `value` to the series.
   * @param value - a finite number ≥ 0, default 1.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is negative or not a finite number.
   */
  inc(value?: number): void;
}

/**
 * A value that only goes up (requests served, errors, bytes sent); Prometheus computes rates
 * from it. Get one with `metrics.counter(config)`.
 */
export interface Counter<Label extends string = never> extends Metric<Label> {
  readonly type: 'counter';
  /**
   * Adds to the series of `labels` (or to the only series of a counter without labels).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number, or
   *   when the value is negative or not a finite number.
   */
  inc(...args: LabelArguments<Label, [value?: number]>): void;
  /**
   * A handle on one series for hot paths; create it once and keep it.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  bind(labels: LabelValues<Label>): BoundCounter;
}
