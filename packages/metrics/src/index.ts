/**
 * Prometheus metrics on prom-client's registry and exposition, with get-or-create
 * factories, bound handles for hot paths, a per-metric series budget, scrapes that never
 * stall the event loop, OpenTelemetry HTTP server metrics, a `/metrics` handler with
 * content negotiation, and `instrument()`, which records what every Rampart package publishes.
 *
 * @example
 * ```ts
 * import { createMetrics, httpServerMetrics } from '@rampart/metrics';
 *
 * const metrics = createMetrics({ defaultLabels: { service: 'checkout' } });
 * const observe = httpServerMetrics(metrics); // RED metrics per route
 * const scrape = metrics.handler(); // serve it on /metrics
 * ```
 *
 * @packageDocumentation
 * @module @rampart/metrics
 */
export type {
  MetricsCollectErrorEvent,
  MetricsOverflowEvent,
  MetricsScrapeEvent,
} from './channels.ts';
export { metricsChannels } from './channels.ts';
export type { BoundCounter, Counter, CounterConfig } from './counter.ts';
export { createMetrics } from './create-metrics.ts';
export { expositionContentTypes, negotiateExpositionFormat } from './exposition.ts';
export type { BoundGauge, Gauge, GaugeConfig } from './gauge.ts';
export type { MetricsHandler, MetricsHandlerOptions } from './handler.ts';
export type { BoundHistogram, Histogram, HistogramConfig } from './histogram.ts';
export type {
  HttpServerMetricsMiddleware,
  HttpServerMetricsOptions,
} from './http-server-metrics.ts';
export {
  HTTP_KNOWN_METHODS,
  HTTP_SERVER_DURATION_BUCKETS,
  httpServerMetricNames,
  httpServerMetrics,
  OTHER_METHOD,
  UNMATCHED_ROUTE,
} from './http-server-metrics.ts';
export type { InstrumentedPackage, InstrumentOptions } from './instrument.ts';
export { instrument } from './instrument.ts';
export { INSTRUMENT_DURATION_BUCKETS, instrumentMetricNames } from './instrument-metric-names.ts';
export type { Metric, MetricConfig } from './metric.ts';
export type {
  DefaultMetricsOptions,
  Metrics,
  MetricsOptions,
  RenderOptions,
  SelfMetricsOptions,
} from './metrics.ts';
export type { BoundSummary, Summary, SummaryConfig } from './summary.ts';
export type { ActiveWork, TrackOptions } from './track.ts';
export { PIPELINE_DURATION_BUCKETS, pipelineMetricNames } from './track.ts';
export type {
  Aggregator,
  Clock,
  ExpositionFormat,
  LabelArguments,
  LabelValue,
  LabelValues,
  MetricType,
} from './types.ts';
