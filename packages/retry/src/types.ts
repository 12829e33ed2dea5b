import type { Clock } from '@rampart/errors';
import type { Backoff } from './backoff.ts';
import type { RetryBudget } from './retry-budget.ts';

/** What each attempt of a retried function receives. */
export interface AttemptContext {
  /** This attempt's number: 1 for the first call, 2 for the first retry, … */
  readonly attempt: number;
  /**
   * This attempt's own signal: it aborts when the caller's signal aborts (with its reason),
   * when `attemptTimeoutMs` passes or when the deadline (`maxElapsedMs`) passes (both with a
   * `TimeoutError`). Pass it on (`fetch(url, { signal })`) so abandoned work stops.
   *
   * Created on first read: a function that never reads it pays nothing for it. Once it has
   * aborted, the call stops waiting for the attempt.
   */
  readonly signal: AbortSignal;
}

/** A function to retry: sync or async, it gets an {@link AttemptContext} per attempt. */
export type RetryFunction<Result> = (context: AttemptContext) => Result | PromiseLike<Result>;

/** What `shouldRetry` and `onRetry` are told about a failed attempt. */
export interface RetryContext {
  /** Number of the attempt that failed (1 for the first call). */
  readonly attempt: number;
  /** Retries still allowed, counting the one being decided (at least 1). */
  readonly retriesLeft: number;
  /** The wait before the next attempt: from the server's hint or the backoff, capped by `maxDelayMs`. */
  readonly delayMs: number;
  /** What the failed attempt threw, unchanged. */
  readonly error: unknown;
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
}

/**
 * Decides whether a failed attempt is retried. Return `false` to give up with this error.
 * May return a promise.
 */
export type ShouldRetry = (error: unknown, context: RetryContext) => boolean | PromiseLike<boolean>;

/**
 * Called once a retry is decided, before its wait: log it, count it. Throwing rejects the call;
 * a returned promise is not awaited.
 */
export type OnRetry = (context: RetryContext) => void;

/** Options of {@link createRetryPolicy}; every one has a safe default. */
export interface RetryPolicyOptions {
  /**
   * Names the policy (the dependency it protects) in events and metrics labels; keep it
   * low-cardinality.
   * @default `'default'` — name each policy after its dependency so its events can be told apart.
   */
  readonly name?: string;
  /**
   * How many times a failed call is retried, so at most `retries + 1` attempts.
   * @default `3` — rides out a blip; more mostly adds load to a dependency that is down.
   */
  readonly retries?: number;
  /**
   * How long to wait before each retry: a built-in strategy from {@link backoff} or any
   * `(attempt, previousDelayMs) => ms` function. Ignored when the error carries a server hint.
   * @default `backoff.fullJitter({ baseMs: 100, maxMs: 10_000 })` — full jitter spreads the
   *   retries of many callers best.
   */
  readonly backoff?: Backoff;
  /**
   * The longest wait before a retry, whatever the backoff or the server's `Retry-After` says.
   * @default `10_000` — beyond 10 s a caller is usually better served by an error.
   */
  readonly maxDelayMs?: number;
  /**
   * The call's overall deadline, from its start: no attempt starts (and no wait begins) that
   * would start at or after it, and each attempt's signal aborts with a `TimeoutError` when it
   * passes. `false` disables it.
   * @default `30_000` — longer than most callers (an HTTP request, a queue lease) will wait.
   */
  readonly maxElapsedMs?: number | false;
  /**
   * How long one attempt may run: then its signal aborts with a `TimeoutError`, the call
   * stops waiting for it and the attempt counts as failed (and is retried like any timeout).
   * `false` lets attempts run until the deadline.
   * @default `false` — set it to bound functions that ignore their signal.
   */
  readonly attemptTimeoutMs?: number | false;
  /**
   * Decides which failures are retried.
   * @default {@link isRetryable} — transient failures yes; validation errors, 4xx, aborts
   *   and programmer errors never.
   */
  readonly shouldRetry?: ShouldRetry;
  /**
   * Called before each retry's wait with the failure and the chosen delay.
   * @default none
   */
  readonly onRetry?: OnRetry;
  /**
   * The retry budget shared by every call of this policy (and any other policy given the same
   * budget); `false` for none.
   * @default a new {@link createRetryBudget}() per policy, on the policy's clock — retries add
   *   at most about 10 % to the calls, plus 10 per second.
   */
  readonly budget?: RetryBudget | false;
  /**
   * Whether the policy's timers (waits between attempts, attempt timeouts, deadlines) are
   * unref'd, so a pending retry does not keep a process alive on its own.
   * @default `false` — the caller is awaiting these timers: a script or CLI whose only work is
   *   the retried call must not exit in the middle of a wait. Pass `true` only when a process
   *   should be free to exit while retries are pending (they are then abandoned).
   */
  readonly unref?: boolean;
  /**
   * The time source for elapsed time, the deadline and HTTP-date `Retry-After` values.
   * @default Date — wall-clock milliseconds, as HTTP dates need.
   */
  readonly clock?: Clock;
}

/** Options of one call of {@link RetryPolicy.execute}. */
export interface RetryExecuteOptions {
  /**
   * Cancels the call: the current attempt's signal aborts with the same reason, a wait is
   * cut short, no further attempt starts and the call rejects at once with the reason.
   */
  readonly signal?: AbortSignal;
}

/**
 * Options of {@link retry}: a policy's options plus the call's signal. Without a `budget`,
 * a one-off call has none: create a policy to share one between calls.
 */
export interface RetryOptions extends RetryPolicyOptions, RetryExecuteOptions {}

/** A reusable retry policy for one dependency: shared budget, shared name in events. */
export interface RetryPolicy {
  /** The policy's name, as in its events. */
  readonly name: string;
  /** The budget its calls share, `undefined` when it has none. */
  readonly budget: RetryBudget | undefined;
  /**
   * Runs `fn` and retries it per the policy. Resolves with its result, or rejects with the
   * last error unchanged (with the abort reason when the caller aborts, or with the error a
   * hook threw).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) when `fn` is not a function or `signal` is not
   *   an `AbortSignal`.
   */
  execute<Result>(fn: RetryFunction<Result>, options?: RetryExecuteOptions): Promise<Result>;
}
