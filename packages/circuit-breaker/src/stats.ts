import type { CircuitState } from './circuit-state.ts';

/**
 * Latency estimates over the rolling window, in milliseconds, from a fixed-size log-scale
 * histogram: each is exact to within its histogram bin (a factor of two) and never above the
 * slowest call seen. All are 0 when the window holds no timed call.
 */
export interface LatencyPercentiles {
  /** Median. */
  readonly p50: number;
  /** 90th percentile. */
  readonly p90: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Slowest call (rounded up to a whole millisecond). */
  readonly max: number;
}

/** What a breaker counted over its rolling window, returned by {@link CircuitControl.stats}. */
export interface CircuitBreakerStats {
  /** The breaker's name. */
  readonly name: string;
  /** The current state. */
  readonly state: CircuitState;
  /** Calls that decide the failure rate: `successes + ignored + failures + timeouts + slowCalls`. */
  readonly calls: number;
  /** Calls that resolved in time. */
  readonly successes: number;
  /** Calls that threw an error counted as a failure. */
  readonly failures: number;
  /** Calls that timed out (failures). */
  readonly timeouts: number;
  /** Calls that resolved slower than `slowCallMs` (failures). */
  readonly slowCalls: number;
  /** Calls that threw an error that is not a failure (counted as successes). */
  readonly ignored: number;
  /** Calls their caller aborted (not counted either way). */
  readonly aborted: number;
  /** Calls rejected because the circuit was open, isolated or busy probing. */
  readonly rejected: number;
  /** Calls rejected because the breaker was at capacity. */
  readonly capacityRejected: number;
  /** `(failures + timeouts + slowCalls) / calls`, in percent; 0 without calls. */
  readonly failureRate: number;
  /** Calls whose guarded function has not ended yet (including timed-out ones still running). */
  readonly inFlight: number;
  /** Milliseconds until an open circuit admits a trial call; `undefined` unless open. */
  readonly retryAfterMs: number | undefined;
  /** Opens since the circuit was last closed. */
  readonly consecutiveOpens: number;
  /** Latency of the calls counted in `calls`. */
  readonly latencyMs: LatencyPercentiles;
  /** Length of the rolling window these counts cover. */
  readonly windowMs: number;
}
