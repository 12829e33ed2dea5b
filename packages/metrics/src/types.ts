/** A label value: strings as they are, numbers rendered as JavaScript prints them (`200`, `0.5`). */
export type LabelValue = string | number;

/**
 * The labels of one series: a value for every label name of the metric, no more, no less.
 *
 * @example
 * ```ts
 * const labels: LabelValues<'method' | 'route'> = { method: 'GET', route: '/users/:id' };
 * ```
 */
export type LabelValues<Label extends string> = { readonly [Name in Label]: LabelValue };

/**
 * The arguments of a recording call: `Rest` alone for a metric without labels
 * (`counter.inc()`), the labels first for a labelled one (`counter.inc({ route }, 2)`).
 */
export type LabelArguments<Label extends string, Rest extends readonly unknown[]> = [
  Label,
] extends [never]
  ? Rest
  : [labels: LabelValues<Label>, ...Rest];

/**
 * How prom-client's cluster `AggregatorRegistry` merges a metric across workers.
 * See prom-client's `aggregators`.
 */
export type Aggregator = 'omit' | 'sum' | 'first' | 'min' | 'max' | 'average';

/** The two text formats a scrape can be rendered in. */
export type ExpositionFormat = 'prometheus' | 'openmetrics';

export type { Clock } from '@rampart/errors';

/** The type of a metric, as written on its `# TYPE` line. */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
