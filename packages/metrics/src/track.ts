/** Options of `metrics.track()`. */
export interface TrackOptions {
  /**
   * Passed on to the tracked function, which should stop when it aborts. `track` itself
   * never waits on it: it measures the function however it ends.
   * @default a signal that never aborts.
   */
  readonly signal?: AbortSignal;
}

/**
 * A unit of work counted in the active gauge until `end()` (or disposal with `using`).
 *
 * @example
 * ```ts
 * using _work = metrics.trackActive('import');
 * await importEverything();
 * ```
 */
export interface ActiveWork {
  /** Stops counting the work as active; later calls do nothing. */
  end(): void;
  /** Same as {@link ActiveWork.end}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/** Names of the metrics written by `metrics.track()` and `metrics.trackActive()`, before the instance prefix. */
export const pipelineMetricNames: {
  readonly duration: 'pipeline_duration_seconds';
  readonly active: 'pipeline_active';
} = {
  duration: 'pipeline_duration_seconds',
  active: 'pipeline_active',
} as const;

/**
 * Default buckets of `pipeline_duration_seconds`: 5 ms to 5 minutes, since a pipeline may be
 * a cache lookup or a batch import.
 */
export const PIPELINE_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300,
]);
