import type { ExpositionFormat } from './types.ts';

/**
 * The `node:diagnostics_channel` channels `@rampart/metrics` publishes on; subscribe to log
 * or forward what happens. Nothing is published while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { metricsChannels, type MetricsOverflowEvent } from '@rampart/metrics';
 *
 * subscribe(metricsChannels.overflow, (message) => {
 *   const event = message as MetricsOverflowEvent;
 *   console.warn(`${event.metric} reached ${event.maxSeries} series; new label sets are folded`);
 * });
 * ```
 */
export const metricsChannels = {
  /** A metric reached its series budget and folded a label set for the first time ({@link MetricsOverflowEvent}). */
  overflow: 'rampart:metrics:overflow',
  /** A `collect` callback failed during a scrape ({@link MetricsCollectErrorEvent}). */
  collectError: 'rampart:metrics:collect-error',
  /** A scrape was rendered ({@link MetricsScrapeEvent}). */
  scrape: 'rampart:metrics:scrape',
} as const;

/**
 * Published on {@link metricsChannels}.overflow.
 *
 * @group Events
 */
export interface MetricsOverflowEvent {
  /** The `name` of the metrics instance that created the metric. */
  readonly name: string;
  /** The metric that reached its budget. */
  readonly metric: string;
  /** Its budget: the most label sets it holds. */
  readonly maxSeries: number;
}

/**
 * Published on {@link metricsChannels}.collectError.
 *
 * @group Events
 */
export interface MetricsCollectErrorEvent {
  /** The `name` of the metrics instance that rendered the scrape. */
  readonly name: string;
  /** The metric whose `collect` failed. */
  readonly metric: string;
  /** What it threw. */
  readonly error: unknown;
  /** The Rampart error `code` of `error`, when it is a Rampart error. */
  readonly code: string | undefined;
}

/**
 * Published on {@link metricsChannels}.scrape.
 *
 * @group Events
 */
export interface MetricsScrapeEvent {
  /** The `name` of the metrics instance that rendered the scrape. */
  readonly name: string;
  /** The format rendered. */
  readonly format: ExpositionFormat;
  /** Wall-clock milliseconds from start to end, pauses for other work included. */
  readonly durationMs: number;
  /** The longest stretch, in milliseconds, the rendering held the event loop without a pause. */
  readonly longestSliceMs: number;
  /** How many metric families were rendered. */
  readonly families: number;
  /** How many samples (lines other than comments) were rendered. */
  readonly samples: number;
  /** Length of the rendered text in characters. */
  readonly characters: number;
}
