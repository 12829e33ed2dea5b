import type { CircuitState } from './circuit-state.ts';

/**
 * Counts of one bucket of the rolling window, as exported by {@link CircuitBreaker.toJSON}.
 * Latencies are not exported: percentiles restart empty after hydration.
 */
export interface CircuitWindowBucket {
  /** Clock time (ms) at which the bucket's time slice starts. */
  readonly startedAt: number;
  /** Calls that resolved in time. */
  readonly successes: number;
  /** Calls that threw an error counted as a failure. */
  readonly failures: number;
  /** Calls that timed out. */
  readonly timeouts: number;
  /** Calls that resolved, but slower than `slowCallMs`. */
  readonly slowCalls: number;
  /** Calls that threw an error not counted as a failure (an answer, e.g. not found). */
  readonly ignored: number;
  /** Calls their caller aborted. */
  readonly aborted: number;
  /** Calls rejected because the circuit was open, isolated or busy probing. */
  readonly rejected: number;
  /** Calls rejected because the breaker was at capacity. */
  readonly capacityRejected: number;
}

/**
 * Everything needed to recreate a breaker's state, JSON-safe: give it back as `initialState`
 * (or in a registry's `initialState`) after a restart or in another process. Times are
 * clock milliseconds (`Date.now()` by default).
 */
export interface CircuitBreakerSnapshot {
  /** The breaker's name. */
  readonly name: string;
  /** The state when exported. */
  readonly state: CircuitState;
  /** When an open circuit admits its next trial call; `null` unless open. */
  readonly retryAt: number | null;
  /** Opens since the circuit was last closed; drives the reset backoff. */
  readonly consecutiveOpens: number;
  /** Clock time of the export. */
  readonly exportedAt: number;
  /** Length of one bucket of the rolling window, in milliseconds. */
  readonly bucketMs: number;
  /** The non-empty buckets of the rolling window, newest first. */
  readonly buckets: readonly CircuitWindowBucket[];
}
