import type { CircuitState } from '@rampart/circuit-breaker';

/**
 * Recent latencies of a provider's successful calls, in milliseconds, over its last
 * `samples` successes (at most 128). All are 0 without samples.
 */
export interface ProviderLatency {
  /** Median. */
  readonly p50: number;
  /** 90th percentile. */
  readonly p90: number;
  /** 95th percentile. */
  readonly p95: number;
  /** 99th percentile. */
  readonly p99: number;
  /** Successes the percentiles are computed from. */
  readonly samples: number;
}

/**
 * Whether a provider is tried now:
 * - `available`: its circuit is closed or half-open and it is not cooling down;
 * - `open`: its circuit is open or isolated, so it is skipped until a trial call;
 * - `cooling`: it answered 429 with a `retryAfterMs` that has not passed yet.
 */
export type ProviderAvailability = 'available' | 'open' | 'cooling';

/** One provider in {@link FailoverState}. */
export interface ProviderState {
  /** The provider's name. */
  readonly name: string;
  /** Whether it is tried now. */
  readonly availability: ProviderAvailability;
  /** Its circuit breaker's state. */
  readonly circuit: CircuitState;
  /** Milliseconds until it is tried again, when it is not available and that is known. */
  readonly retryAfterMs: number | undefined;
  /** Recent latency of its successful calls. */
  readonly latencyMs: ProviderLatency;
  /** Its share, from 0 to 1, of the last (up to 256) provider calls made. */
  readonly trafficShare: number;
  /** Calls routed to it since the failover was created (with those its breaker refused). */
  readonly calls: number;
  /** Provider calls that failed (moved on or stopped) since the failover was created. */
  readonly failures: number;
}

/** What {@link Failover.state} returns. */
export interface FailoverState {
  /** The failover's name. */
  readonly name: string;
  /** Each provider, in the order of `providers`. */
  readonly providers: readonly ProviderState[];
}
