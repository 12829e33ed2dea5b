import type { CircuitBreakerPolicy } from '@rampart/circuit-breaker';
import type { UnavailableError } from '@rampart/errors';
import type { RetryBudget } from '@rampart/retry';
import type { FailoverDecision } from './classify.ts';
import type { FailoverState } from './state.ts';

/** A source of the current time in milliseconds, injectable for tests. */
export interface Clock {
  /** Milliseconds since an arbitrary, fixed origin (`Date.now()` by default). */
  now(): number;
}

/** What a provider's {@link FailoverProvider.call} is given besides the input. */
export interface ProviderCallContext {
  /**
   * Aborts when the call is no longer wanted: the caller's signal aborted, another provider
   * answered first (hedging), the breaker's `timeoutMs` passed, or the failover was disposed.
   * Pass it on (`fetch(url, { signal })`) so abandoned work stops.
   */
  readonly signal: AbortSignal;
  /** Number of this attempt within one {@link Failover.execute}, from 1. */
  readonly attempt: number;
}

/** One provider a {@link Failover} may route a call to. */
export interface FailoverProvider<Input, Output> {
  /** Names the provider in errors, events, metrics labels and {@link Failover.state}. */
  readonly name: string;
  /** Performs the call on this provider. */
  call(input: Input, context: ProviderCallContext): Output | PromiseLike<Output>;
  /**
   * Relative share of traffic under the `weighted` strategy; 0 keeps the provider for when
   * the others are unavailable.
   * @default `1` — equal shares.
   */
  readonly weight?: number;
  /**
   * Order under the `priority` strategy: lower goes first; equal priorities keep the
   * order of `providers`.
   * @default `0` — the order of `providers`.
   */
  readonly priority?: number;
  /**
   * Circuit breaker options for this provider, over the failover's `breaker` options.
   * @default the failover's `breaker` options.
   */
  readonly breaker?: CircuitBreakerPolicy;
}

/**
 * How the first provider of a call is chosen among the healthy ones:
 * - `priority`: the first in priority order;
 * - `weighted`: at random in proportion to `weight`;
 * - `least-latency`: the lowest recent median latency, with a small share of calls
 *   (`explorationRate`) sent elsewhere so a recovered provider is measured again.
 *
 * The remaining providers follow as fallbacks in the same order of preference.
 */
export type FailoverStrategy = 'priority' | 'weighted' | 'least-latency';

/** A latency percentile of the provider being waited on, used as a hedging delay. */
export type LatencyPercentileName = 'p50' | 'p90' | 'p95' | 'p99';

/** Options of hedging: starting another provider while a slow one has not answered yet. */
export interface HedgeOptions {
  /**
   * How long to wait for an answer before starting the next provider too: milliseconds, or
   * a percentile of the recent latencies of the provider being waited on. A percentile
   * needs `minSamples` recent successes of that provider; until then it does not hedge.
   */
  readonly delayMs: number | LatencyPercentileName;
  /**
   * Most extra providers started per call by hedging. A provider call that fails while
   * another one still runs starts nothing at once: the call waits for the one still running,
   * and for the next hedge if one is left.
   * @default `1` — one hedge removes most of the tail; each more adds load for less.
   */
  readonly maxHedges?: number;
  /**
   * Recent successes a provider needs before a percentile `delayMs` is trusted.
   * @default `20` — a p95 needs at least a handful of calls above it to mean anything.
   */
  readonly minSamples?: number;
}

/**
 * Why a {@link Failover} produced no answer from any provider:
 * - `all-unavailable`: no provider could be called (circuits open, cooling down after a 429,
 *   or refused by their breaker, e.g. a half-open circuit busy with its trial call);
 * - `all-failed`: every provider called failed with an error that moves on;
 * - `budget-exhausted`: the retry budget had no retry left for the next provider or hedge.
 */
export type ExhaustedReason = 'all-unavailable' | 'all-failed' | 'budget-exhausted';

/** What a {@link LastResort} is told. */
export interface LastResortContext<Input> {
  /** The input of the call. */
  readonly input: Input;
  /** Why no provider answered. */
  readonly reason: ExhaustedReason;
  /**
   * The error the call would reject with without a last resort: an `UnavailableError`
   * whose `cause` is the last provider error, when there was one.
   */
  readonly error: UnavailableError;
  /** The caller's signal (a signal that never aborts when none was given). */
  readonly signal: AbortSignal;
}

/**
 * Produces an answer when no provider can: a cached answer, a degraded response. Its result
 * (or its own error) becomes the call's.
 */
export type LastResort<Input, Output> = (
  context: LastResortContext<Input>,
) => Output | PromiseLike<Output>;

/** What {@link FailoverOptions.classify} is told besides the error. */
export interface ClassifyContext {
  /** The provider that threw. */
  readonly provider: string;
  /** Number of the attempt that threw, from 1. */
  readonly attempt: number;
}

/** Options of {@link createFailover}. */
export interface FailoverOptions<Input, Output> {
  /** Names the failover in errors, events and metrics labels; keep it low-cardinality. */
  readonly name: string;
  /** The providers, at least one, with unique names. */
  readonly providers: readonly FailoverProvider<Input, Output>[];
  /**
   * How the first provider of each call is chosen.
   * @default `'priority'` — predictable: the preferred provider serves while it is healthy.
   */
  readonly strategy?: FailoverStrategy;
  /**
   * Share of calls (0–1) the `least-latency` strategy sends to a random healthy provider
   * instead of the fastest, so a provider that recovered is measured again.
   * @default `0.05` — one call in twenty refreshes the measurements.
   */
  readonly explorationRate?: number;
  /**
   * Random numbers in [0, 1) for the `weighted` and `least-latency` strategies.
   * @default `Math.random`.
   */
  readonly random?: () => number;
  /**
   * Circuit breaker options every provider's breaker starts from (see
   * {@link @rampart/circuit-breaker!createCircuitBreaker | createCircuitBreaker}); a
   * provider's own `breaker` options override them.
   * @default the breaker's defaults — open at 50 % failures over 10 s after 10 calls,
   *   half-open after 30 s.
   */
  readonly breaker?: CircuitBreakerPolicy;
  /**
   * Hedging: start the next provider when the current one has not answered in time.
   * @default none — hedging adds load, so it is opt-in.
   */
  readonly hedge?: HedgeOptions;
  /**
   * The budget every fallback and hedge spends one retry of; each call earns a share. `false`
   * lets every call try every provider.
   * @default `createRetryBudget()` — at most about 10 % more calls than requests, plus 10 per
   *   second, so a wide outage cannot multiply the load.
   */
  readonly retryBudget?: RetryBudget | false;
  /**
   * Produces the answer when no provider can (all unavailable, all failed, budget spent).
   * @default none — the call rejects with an `UnavailableError`.
   */
  readonly lastResort?: LastResort<Input, Output>;
  /**
   * Decides whether an error from a provider moves on to the next provider (`'next'`) or
   * rejects the call at once (`'stop'`).
   * @default {@link classifyFailoverError}
   */
  readonly classify?: (error: unknown, context: ClassifyContext) => FailoverDecision;
  /**
   * The time source for cool-downs, latencies and the breakers (unless `breaker.clock`).
   * @default `Date.now()`.
   */
  readonly clock?: Clock;
}

/** Options of one {@link Failover.execute} call. */
export interface FailoverExecuteOptions {
  /**
   * Bounds the whole call: every provider, hedge and last resort. When it aborts, the call
   * rejects at once with its reason and every provider call in flight is aborted.
   */
  readonly signal?: AbortSignal;
}

/** Routes calls across providers; created by {@link createFailover}. */
export interface Failover<Input, Output> {
  /** The failover's name. */
  readonly name: string;
  /**
   * Calls the providers, in the strategy's order, until one answers.
   *
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} (rejects) when no
   *   provider answered and there is no `lastResort`; `retryAfterMs` is the soonest any
   *   provider will be tried again, `details.providers` each provider's state.
   * @throws the provider's own error (rejects) when `classify` says `'stop'`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (rejects) when `options`
   *   is malformed.
   */
  execute(input: Input, options?: FailoverExecuteOptions): Promise<Output>;
  /** Each provider's breaker state, cool-down, recent latency and traffic share. */
  state(): FailoverState;
  /**
   * Disposes every provider's breaker (calls in flight are aborted) and rejects later calls
   * with an `UnavailableError`. Idempotent.
   */
  dispose(): Promise<void>;
  /** Same as {@link Failover.dispose}, for `await using` declarations. */
  [Symbol.asyncDispose](): Promise<void>;
}
