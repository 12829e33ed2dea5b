import type { Aggregator, LabelValues, MetricType } from './types.ts';

/** What every metric's configuration has: a name, a help text and optional labels. */
export interface MetricConfig<Label extends string> {
  /**
   * The metric's name without the instance's `prefix`: letters, digits, `_` and `:`, not
   * starting with a digit. End counters with `_total` and give units as a suffix
   * (`_seconds`, `_bytes`).
   */
  readonly name: string;
  /** One line saying what is measured; shown on the `# HELP` line. */
  readonly help: string;
  /**
   * The label names, each a bounded set of values (a route template, a status code,
   * never a user id or a raw path). `le`, `quantile` and `overflow` are reserved.
   * @default `[]` — a metric without labels has one series, present from the start.
   */
  readonly labelNames?: readonly Label[];
  /**
   * The most label sets this metric holds; further label sets are folded into one series
   * labelled `overflow="true"` and counted in `rampart_metrics_overflow_total`.
   * @default the instance's `maxSeriesPerMetric` (2,000).
   */
  readonly maxSeries?: number;
  /**
   * How prom-client's cluster `AggregatorRegistry` merges this metric across workers.
   * @default `'sum'` — prom-client's default.
   */
  readonly aggregator?: Aggregator;
}

/** What every metric handle has, whatever its type. */
export interface Metric<Label extends string> {
  /** The full name, prefix included, as rendered on the `# TYPE` line. */
  readonly name: string;
  /** The help text. */
  readonly help: string;
  /** The metric type. */
  readonly type: MetricType;
  /** The label names, in the order they were declared. */
  readonly labelNames: readonly Label[];
  /** The most label sets this metric holds before folding into the overflow series. */
  readonly maxSeries: number;
  /** How many label sets the metric holds now (the overflow series not included). */
  readonly seriesCount: number;
  /**
   * Removes one series. Bound handles to it keep working: their next call recreates it.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `labels` is not a value for every label name.
   */
  remove(labels: LabelValues<Label>): void;
  /**
   * Removes every series (a metric without labels goes back to zero). Bound handles keep
   * working: their next call recreates their series.
   */
  reset(): void;
}
