import { ConfigurationError, describeValue, isRampartError } from '@rampart/errors';
import pRetry from 'p-retry';
import type { RetryGiveUpReason } from '../events.ts';
import type { RetryContext, RetryFunction } from '../types.ts';
import { Attempt, type AttemptOwner } from './attempt.ts';
import { attemptChannel, budgetExhaustedChannel, codeOf, giveUpChannel } from './publish.ts';
import { serverHintMs } from './server-hint.ts';
import type { RetrySettings } from './settings.ts';
import { sleep } from './sleep.ts';

/**
 * Carries an attempt's failure through p-retry unchanged: p-retry sees an `Error` that is
 * neither a `TypeError` nor its `AbortError`, so it never replaces a thrown non-error, never
 * refuses to retry a `TypeError` on its own, and leaves every decision to our hook.
 */
class AttemptFailure extends Error {
  readonly failure: unknown;
  constructor(failure: unknown) {
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      super('attempt failed');
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.failure = failure;
  }
}

function carry(error: unknown): never {
  throw new AttemptFailure(error);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Settles an attempt whose function returned a plain value. */
function settledValue<Result>(attempt: Attempt, value: Result): Promise<Result> {
  attempt.settle();
  return Promise.resolve(value);
}

/** Thrown inside the decision to stop retrying with `error`; never escapes this module. */
interface GiveUp {
  readonly reason: RetryGiveUpReason;
  readonly delayMs: number;
}

/**
 * One call of a policy. The first attempt runs inline, so a call that succeeds costs one
 * clock read, two small objects and one `then` — no retry machinery. When it fails, p-retry
 * drives the remaining attempts; our `onFailedAttempt` hook makes every decision (classify,
 * server hint, backoff, deadline, budget), waits, and gives up by throwing the original error.
 */
export class Execution<Result> implements AttemptOwner {
  readonly settings: RetrySettings;
  readonly signal: AbortSignal | undefined;
  readonly startedAt: number;
  readonly #fn: RetryFunction<Result>;
  /** Attempts started so far. */
  #attempts = 0;
  #previousDelayMs = 0;
  #giveUp: GiveUp | undefined = undefined;

  constructor(settings: RetrySettings, fn: RetryFunction<Result>, signal: AbortSignal | undefined) {
    this.settings = settings;
    this.signal = signal;
    this.#fn = fn;
    this.startedAt = settings.clock.now();
  }

  /** Whether attempts need a listener or a timer before the function runs. */
  get #beginsEarly(): boolean {
    return this.signal !== undefined || this.settings.attemptTimeoutMs !== Number.POSITIVE_INFINITY;
  }

  /** Runs the call: the first attempt inline, the rest (if any) through p-retry. */
  start(): Promise<Result> {
    this.settings.budget?.recordCall();
    const signal = this.signal;
    if (signal?.aborted) {
      this.#giveUp = { reason: 'aborted', delayMs: 0 };
      this.#publishGiveUp(signal.reason);
      return Promise.reject(signal.reason);
    }
    this.#attempts = 1;
    const attempt = new Attempt(this, 1);
    if (this.#beginsEarly) attempt.begin();
    let outcome: Result | PromiseLike<Result>;
    let promise: Promise<Result> | undefined;
    try {
      outcome = this.#fn(attempt);
      // Inside the try: a hostile `then` getter or Proxy fails the attempt, never the caller.
      if (isThenable(outcome)) promise = outcome instanceof Promise ? outcome : undefined;
      else return settledValue(attempt, outcome);
    } catch (error) {
      attempt.settle();
      return this.#retryAfter(error);
    }
    if (attempt.interruptible) {
      return attempt.race(outcome).then(undefined, (error: unknown) => this.#retryAfter(error));
    }
    return (promise ?? Promise.resolve(outcome)).then(
      (value: Result) => {
        attempt.settle();
        return value;
      },
      (error: unknown) => {
        attempt.settle();
        return this.#retryAfter(error);
      },
    );
  }

  /** Attempt 2 and later, as p-retry's input: failures travel as {@link AttemptFailure}s. */
  #runAttempt(attemptNumber: number): Result | Promise<Result> {
    this.#attempts = attemptNumber;
    const attempt = new Attempt(this, attemptNumber);
    if (this.#beginsEarly) attempt.begin();
    let outcome: Result | PromiseLike<Result>;
    try {
      outcome = this.#fn(attempt);
      if (!isThenable(outcome)) {
        attempt.settle();
        return outcome;
      }
    } catch (error) {
      attempt.settle();
      throw new AttemptFailure(error);
    }
    if (attempt.interruptible) return attempt.race(outcome).then(undefined, carry);
    return Promise.resolve(outcome).then(
      (value: Result) => {
        attempt.settle();
        return value;
      },
      (error: unknown) => {
        attempt.settle();
        return carry(error);
      },
    );
  }

  /** After the first attempt failed: decide, wait, and hand the next attempts to p-retry. */
  async #retryAfter(error: unknown): Promise<Result> {
    try {
      await this.#onFailure(error, 1);
      const signal = this.signal;
      return await pRetry((attemptNumber) => this.#runAttempt(attemptNumber + 1), {
        retries: this.settings.retries - 1,
        minTimeout: 0, // we wait in onFailedAttempt, with our own backoff, hints and deadline
        onFailedAttempt: (context) => {
          const failure = context.error;
          return this.#onFailure(
            failure instanceof AttemptFailure ? failure.failure : failure,
            this.#attempts,
          );
        },
        ...(signal === undefined ? {} : { signal }),
      });
    } catch (finalError) {
      this.#publishGiveUp(finalError);
      throw finalError;
    }
  }

  /**
   * Decides what follows the failure of attempt `attempt`: resolves after the wait when it is
   * retried, or throws what the call rejects with (the error unchanged, the abort reason or a
   * hook's error) after recording why.
   */
  async #onFailure(error: unknown, attempt: number): Promise<void> {
    const { settings, signal } = this;
    if (signal?.aborted) this.#stop('aborted', 0, signal.reason);
    const retriesLeft = settings.retries - attempt + 1;
    if (retriesLeft <= 0) this.#stop('retries-exhausted', 0, error);
    let context: RetryContext;
    let hintMs: number | undefined;
    let retry: boolean;
    try {
      hintMs = serverHintMs(error, settings.clock.now());
      const delayMs =
        hintMs === undefined ? this.#backoff(attempt) : Math.min(hintMs, settings.maxDelayMs);
      context = { attempt, retriesLeft, delayMs, error, elapsedMs: this.#elapsedMs() };
      const decision = settings.shouldRetry(error, context);
      retry = isThenable(decision) ? await decision : decision;
    } catch (hookError) {
      this.#stop('hook-failed', 0, hookError);
    }
    const { delayMs } = context;
    if (signal?.aborted) this.#stop('aborted', delayMs, signal.reason);
    if (retry !== true) this.#stop('not-retryable', delayMs, error);
    if (
      isRampartError(error, 'E_CIRCUIT_OPEN') &&
      (hintMs === undefined || hintMs > settings.maxDelayMs)
    ) {
      this.#stop('circuit-open', delayMs, error);
    }
    const elapsedMs = this.#elapsedMs();
    if (elapsedMs + delayMs >= settings.maxElapsedMs) this.#stop('deadline', delayMs, error);
    if (settings.budget !== undefined && !settings.budget.tryRetry()) {
      if (budgetExhaustedChannel.hasSubscribers) {
        budgetExhaustedChannel.publish({
          name: settings.name,
          attempt,
          delayMs,
          elapsedMs,
          error,
          code: codeOf(error),
        });
      }
      this.#stop('budget-exhausted', delayMs, error);
    }
    if (settings.onRetry !== undefined) {
      try {
        settings.onRetry(context);
      } catch (hookError) {
        this.#stop('hook-failed', delayMs, hookError);
      }
    }
    if (attemptChannel.hasSubscribers) {
      attemptChannel.publish({
        name: settings.name,
        attempt,
        retriesLeft,
        delayMs,
        elapsedMs,
        error,
        code: codeOf(error),
      });
    }
    this.#previousDelayMs = delayMs;
    try {
      await sleep(delayMs, signal, settings.unref);
    } catch (reason) {
      this.#stop('aborted', delayMs, reason);
    }
  }

  /** The next delay from the backoff, validated and capped by `maxDelayMs`. */
  #backoff(attempt: number): number {
    const { settings } = this;
    const delayMs = settings.backoff(attempt, this.#previousDelayMs);
    if (typeof delayMs !== 'number' || !(delayMs >= 0) || delayMs === Number.POSITIVE_INFINITY) {
      const message = `must return a finite number of milliseconds, at least 0 (got ${describeValue(delayMs)})`;
      throw new ConfigurationError(`${settings.name}: \`backoff\` ${message}`, {
        issues: [{ path: 'backoff', message, code: 'invalid_return' }],
      });
    }
    return Math.min(delayMs, settings.maxDelayMs);
  }

  #elapsedMs(): number {
    return this.settings.clock.now() - this.startedAt;
  }

  /** Records why the call stops and throws what it rejects with. */
  #stop(reason: RetryGiveUpReason, delayMs: number, rejection: unknown): never {
    this.#giveUp = { reason, delayMs };
    throw rejection;
  }

  #publishGiveUp(error: unknown): void {
    if (!giveUpChannel.hasSubscribers) return;
    const signal = this.signal;
    const giveUp = this.#giveUp ?? {
      // p-retry stopped on its own: only an abort it saw before our hook ran does that.
      reason: signal?.aborted && error === signal.reason ? 'aborted' : 'hook-failed',
      delayMs: 0,
    };
    giveUpChannel.publish({
      name: this.settings.name,
      attempt: this.#attempts,
      reason: giveUp.reason,
      delayMs: giveUp.delayMs,
      elapsedMs: this.#elapsedMs(),
      error,
      code: codeOf(error),
    });
  }
}
