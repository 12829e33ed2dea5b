/**
 * The shapes prom-client's `Registry` reads from a metric: `get()` (and, for histograms,
 * `getForPromString()`) resolve to {@link PromMetricData}. Rampart metrics produce the same
 * shapes, so `registry.metrics()`, `getMetricsAsJSON()` and the cluster `AggregatorRegistry`
 * handle them like prom-client's own.
 */
import type { Aggregator, MetricType } from '../types.ts';

/** Label values as prom-client stores them. */
export type PromLabels = Record<string, string | number>;

/** One sample of prom-client's metric data. */
export interface PromSample {
  value: number;
  labels: PromLabels;
  /** Set when the sample's name differs from the family's (`_bucket`, `_sum`, `_count`). */
  metricName?: string;
  /** Labels common to several samples, written after `labels` (histogram series labels). */
  sharedLabels?: PromLabels;
  /** An OpenMetrics exemplar, written only in OpenMetrics. */
  exemplar?: { labelSet: PromLabels; value: number; timestamp: number } | null;
}

/** A metric family as prom-client's `get()` returns it. */
export interface PromMetricData {
  name: string;
  help: string;
  type: MetricType;
  values: PromSample[];
  aggregator: Aggregator;
}

/** The part of a metric that prom-client's `Registry` calls. */
export interface PromMetricLike {
  name: string;
  get(): Promise<PromMetricData>;
  getForPromString?: () => Promise<PromMetricData>;
  reset?: () => void;
}
