/**
 * A traffic generator for the hardened service, used by `pnpm demo` and the end-to-end tests:
 * an HTTP client that records every request (status, latency, `X-Cache`, problem code) and
 * never rejects, load workers, and summaries. Node built-ins only.
 */
export type { RequestSpec, Sample, TrafficClient } from './client.ts';
export { createTrafficClient } from './client.ts';
export type { Load, Worker } from './load.ts';
export { startLoad } from './load.ts';
export type { PromSample } from './prometheus.ts';
export { histogramQuantile, parseExposition, total, totalsBy } from './prometheus.ts';
export { countBy, latencySummary, percentile } from './stats.ts';
