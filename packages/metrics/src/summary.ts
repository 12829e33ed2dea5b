import type { Metric, MetricConfig } from './metric.ts';
import type { LabelArguments, LabelValues } from './types.ts';

/** Configuration of a {@link Summary}. */
export interface SummaryConfig<Label extends string = never> extends MetricConfig<Label> {
  /**
   * The quantiles to report, each in [0, 1].
   * @default prom-client's `[0.01, 0.05, 0.5, 0.9, 0.95, 0.99, 0.999]`.
   */
  readonly percentiles?: readonly number[];
  /**
   * Report quantiles over a sliding window of this many seconds (with `ageBuckets`).
   * @default unset — quantiles over the whole life of the process, as in prom-client.
   */
  readonly maxAgeSeconds?: number;
  /**
   * How many buckets the sliding window rotates through.
   * @default unset — required with `maxAgeSeconds`.
   */
  readonly ageBuckets?: number;
  /**
   * Drop a series whose window holds no observation at scrape time.
   * @default `false` — as in prom-client.
   */
  readonly pruneAgedBuckets?: boolean;
  /**
   * Compress the quantile sketch every this many observations.
   * @default `1000` — prom-client's default.
   */
  readonly compressCount?: number;
  /**
   * Called before every scrape (awaited when it returns a promise, with a signal that aborts
   * when every client waiting for the scrape has gone). A failure is counted in
   * `rampart_metrics_collect_errors_total` and the scrape goes on with the current values.
   */
  readonly collect?: (summary: Summary<Label>, signal: AbortSignal) => void | Promise<void>;
}

/** A summary bound to one label set: `observe` touches its series directly, with no label lookup. */
export interface BoundSummary {
  /**
   * Records one observation.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `value` is not a finite number.
   */
  observe(value: number): void;
  /** Starts a timer; calling the returned function observes the seconds elapsed and returns them. */
  startTimer(): () => number;
}

/**
 * Quantiles computed in the process (prom-client's sliding-window t-digest). They cannot be
 * aggregated across instances: prefer a {@link Histogram} unless you need exact client-side
 * quantiles of one process. Get one with `metrics.summary(config)`.
 */
export interface Summary<Label extends string = never> extends Metric<Label> {
  readonly type: 'summary';
  /** The quantiles reported. */
  readonly percentiles: readonly number[];
  /**
   * Records one observation in the series of `labels`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is wrong or `value` is not a finite number.
   */
  observe(...args: LabelArguments<Label, [value: number]>): void;
  /**
   * Starts a timer; the returned function observes the seconds elapsed into the series of
   * `labels` merged with `endLabels` and returns them.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} from the returned function when the merged labels are wrong.
   */
  startTimer(
    labels?: Partial<LabelValues<Label>>,
  ): (endLabels?: Partial<LabelValues<Label>>) => number;
  /**
   * A handle on one series for hot paths; create it once and keep it.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when a label is missing, unknown or not a string or number.
   */
  bind(labels: LabelValues<Label>): BoundSummary;
}
