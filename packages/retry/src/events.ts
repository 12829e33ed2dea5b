/**
 * Names of the `node:diagnostics_channel` channels `@rampart/retry` publishes on. Subscribe
 * with `diagnostics_channel.subscribe(retryChannels.attempt, listener)`; nothing is published
 * (and nothing is paid) while a channel has no subscribers.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { type RetryGiveUpEvent, retryChannels } from '@rampart/retry';
 *
 * subscribe(retryChannels.giveUp, (message) => {
 *   const event = message as RetryGiveUpEvent;
 *   console.warn(`${event.name}: gave up after ${event.attempt} attempts (${event.reason})`);
 * });
 * ```
 */
export const retryChannels: {
  /** An attempt failed and another one is scheduled: {@link RetryAttemptEvent}. */
  readonly attempt: 'rampart:retry:attempt';
  /** A call stopped retrying and rejects: {@link RetryGiveUpEvent}. */
  readonly giveUp: 'rampart:retry:give-up';
  /** A retry was refused because the retry budget is spent: {@link RetryBudgetExhaustedEvent}. */
  readonly budgetExhausted: 'rampart:retry:budget-exhausted';
} = Object.freeze({
  attempt: 'rampart:retry:attempt',
  giveUp: 'rampart:retry:give-up',
  budgetExhausted: 'rampart:retry:budget-exhausted',
} as const);

/**
 * Why a call stopped retrying:
 * - `not-retryable`: `shouldRetry` (by default {@link isRetryable}) refused the error;
 * - `retries-exhausted`: the last allowed attempt failed;
 * - `deadline`: the next attempt would start at or after `maxElapsedMs`;
 * - `budget-exhausted`: the retry budget is spent (see {@link RetryBudget});
 * - `circuit-open`: a `CircuitOpenError` carried no `retryAfterMs`, or one above `maxDelayMs`;
 * - `aborted`: the caller's signal aborted (the call rejects with its reason);
 * - `hook-failed`: `shouldRetry`, `onRetry` or the backoff threw (the call rejects with that error).
 */
export type RetryGiveUpReason =
  | 'not-retryable'
  | 'retries-exhausted'
  | 'deadline'
  | 'budget-exhausted'
  | 'circuit-open'
  | 'aborted'
  | 'hook-failed';

/**
 * Published on `rampart:retry:attempt` when an attempt failed and the next one is scheduled.
 *
 * @group Events
 */
export interface RetryAttemptEvent {
  /** The policy's `name` (`'default'` unless configured). */
  readonly name: string;
  /** Number of the attempt that failed (1 for the first call). */
  readonly attempt: number;
  /** Retries still allowed, counting the one now scheduled. */
  readonly retriesLeft: number;
  /** Milliseconds until the next attempt starts. */
  readonly delayMs: number;
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  /** What the failed attempt threw. */
  readonly error: unknown;
  /** The error's Rampart `code` (`E_TIMEOUT`, …), `undefined` for other errors. */
  readonly code: string | undefined;
}

/**
 * Published on `rampart:retry:give-up` when a call stops retrying and rejects.
 *
 * @group Events
 */
export interface RetryGiveUpEvent {
  /** The policy's `name`. */
  readonly name: string;
  /** Number of attempts made (0 when the signal was already aborted). */
  readonly attempt: number;
  /** Why no further attempt is made. */
  readonly reason: RetryGiveUpReason;
  /** The delay that would have preceded the next attempt; 0 when none was computed. */
  readonly delayMs: number;
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  /** What the call rejects with: the last error, the abort reason or the hook's error. */
  readonly error: unknown;
  /** The error's Rampart `code`, `undefined` for other errors. */
  readonly code: string | undefined;
}

/**
 * Published on `rampart:retry:budget-exhausted` when a retry is refused because the policy's
 * retry budget is spent; a `give-up` event with reason `budget-exhausted` follows.
 *
 * @group Events
 */
export interface RetryBudgetExhaustedEvent {
  /** The policy's `name`. */
  readonly name: string;
  /** Number of the attempt that failed and will not be retried. */
  readonly attempt: number;
  /** The delay the refused retry would have waited. */
  readonly delayMs: number;
  /** Milliseconds since the call started. */
  readonly elapsedMs: number;
  /** What the failed attempt threw; the call rejects with it. */
  readonly error: unknown;
  /** The error's Rampart `code`, `undefined` for other errors. */
  readonly code: string | undefined;
}
