import type { Clock } from '@rampart/errors';
import type { CircuitBreakerSnapshot } from './snapshot.ts';

export type { Clock };

/**
 * The function a breaker guards. It receives the arguments given to
 * {@link CircuitBreaker.execute} followed by the call's own `AbortSignal`, which aborts when
 * that call times out, when the caller's signal aborts, or when the breaker is disposed.
 * Pass it on (`fetch(url, { signal })`) so abandoned work stops and frees its capacity slot.
 */
export type CircuitFunction<Args extends readonly unknown[], Result> = (
  ...args: [...Args, AbortSignal]
) => Result | PromiseLike<Result>;

/** What a {@link CircuitFallback} is told about the call it replaces. */
export interface CircuitFallbackContext<Args extends readonly unknown[]> {
  /**
   * Why the call produced no result: a `CircuitOpenError` (`E_CIRCUIT_OPEN`), a
   * {@link CircuitCapacityError} (`E_CIRCUIT_CAPACITY`), a `TimeoutError` (`E_TIMEOUT`), or
   * the error the guarded function threw when it counts as a failure.
   */
  readonly error: unknown;
  /** The arguments the call was made with (without the signal). */
  readonly args: Args;
  /** Aborts when the caller's signal aborts or the breaker is disposed. */
  readonly signal: AbortSignal;
}

/**
 * Produces a result when a call is rejected or fails: a cached value, a default, a degraded
 * answer. Its result (or its own error) becomes the call's.
 */
export type CircuitFallback<Args extends readonly unknown[], Result> = (
  context: CircuitFallbackContext<Args>,
) => Result | PromiseLike<Result>;

/**
 * How a breaker decides: timeouts, thresholds, the rolling window, recovery and
 * classification. Shared by {@link CircuitBreakerOptions} and the `defaults` of a registry.
 */
export interface CircuitBreakerPolicy {
  /**
   * How long one call may run before it is rejected with a `TimeoutError` (`E_TIMEOUT`), counted
   * as a failure, and its own signal is aborted; `false` disables the timeout.
   * @default `10_000` — a dependency that needs longer than 10 s is already failing its callers.
   */
  readonly timeoutMs?: number | false;
  /**
   * Failure rate, in percent of the calls in the rolling window, at which the circuit opens.
   * A failure rate equal to the threshold opens it. From 1 to 100: a value below 1 (`0.5`)
   * is refused as a ratio given where a percentage belongs.
   * @default `50` — open when at least half of the recent calls fail.
   */
  readonly errorThresholdPercentage?: number;
  /**
   * Fewest calls in the rolling window before the failure rate may open the circuit.
   * @default `10` — one failed call out of one (100 %) must never open a circuit.
   */
  readonly volumeThreshold?: number;
  /**
   * Length of the rolling window over which calls are counted.
   * @default `10_000` — long enough to smooth bursts, short enough to react within seconds.
   */
  readonly rollingWindowMs?: number;
  /**
   * Buckets the window is divided into; old calls leave the window one bucket at a time.
   * Must divide `rollingWindowMs` evenly.
   * @default `10` — one-second buckets with the default window.
   */
  readonly rollingWindowBuckets?: number;
  /**
   * How long the circuit stays open before it admits trial calls (half-open), the first time.
   * @default `30_000` — gives a failing dependency time to recover before it is probed.
   */
  readonly resetTimeoutMs?: number;
  /**
   * Multiplier applied to the open duration on each consecutive re-open (a failed trial
   * call); `1` keeps it constant.
   * @default `2` — a dependency that keeps failing is probed less and less often.
   */
  readonly resetBackoffFactor?: number;
  /**
   * Longest open duration the backoff may reach. Must be at least `resetTimeoutMs`.
   * @default 10 × `resetTimeoutMs` (5 minutes with the defaults) — a recovered dependency is
   *   noticed within minutes, not hours.
   */
  readonly maxResetTimeoutMs?: number;
  /**
   * Trial calls a half-open circuit lets through at a time; other calls are rejected at
   * once with a `CircuitOpenError`, never queued.
   * @default `1` — the classic single probe: one call risks the dependency, not a burst.
   */
  readonly halfOpenProbes?: number;
  /**
   * Successful trial calls needed to close a half-open circuit; any failed trial call
   * re-opens it.
   * @default `halfOpenProbes` — every admitted probe must succeed.
   */
  readonly successesToClose?: number;
  /**
   * Calls slower than this count as failures (they still resolve with their result);
   * `false` disables slow-call accounting.
   * @default `false` — only errors and timeouts are failures unless you opt in.
   */
  readonly slowCallMs?: number | false;
  /**
   * Most calls allowed in flight at once; more are rejected at once with a
   * {@link CircuitCapacityError}. A slot is held until the guarded function really ends,
   * even after its call timed out. `false` means unlimited.
   * @default `false` — a concurrency limit depends on the dependency; set one that fits it.
   */
  readonly capacity?: number | false;
  /**
   * Decides whether an error thrown by the guarded function is a failure of the dependency
   * (counted towards opening the circuit) or an answer from a healthy dependency (counted
   * as a success).
   * @default {@link isDependencyFailure} — Rampart errors that are not retryable and have a
   *   status below 500 (bad input, not found) are answers, everything else is a failure.
   */
  readonly isFailure?: (error: unknown) => boolean;
  /**
   * The time source for windows, timeouts' durations and the open period.
   * @default `Date.now()` — wall-clock milliseconds, so exported state means the same in another process.
   */
  readonly clock?: Clock;
}

/** Options of {@link createCircuitBreaker}. */
export interface CircuitBreakerOptions<
  Args extends readonly unknown[] = readonly unknown[],
  Result = unknown,
> extends CircuitBreakerPolicy {
  /** Names the breaker in errors, events and metrics labels; keep it low-cardinality. */
  readonly name: string;
  /**
   * Produces the result when a call is rejected (open, isolated, half-open, at capacity),
   * times out or fails. Not used for errors that are not failures or for caller aborts.
   * @default none — the call rejects with its error.
   */
  readonly fallback?: CircuitFallback<Args, Result>;
  /**
   * State exported by {@link CircuitBreaker.toJSON} (possibly in another process) to start from.
   * @default none — the breaker starts closed with an empty window.
   */
  readonly initialState?: CircuitBreakerSnapshot;
}

/** Options of one call made with {@link CircuitBreaker.executeWith}. */
export interface ExecuteOptions {
  /**
   * Aborts the call: it rejects at once with the signal's reason, the guarded function's
   * signal aborts with the same reason, and the call is not counted as a failure.
   */
  readonly signal?: AbortSignal;
}
