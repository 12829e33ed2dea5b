/**
 * Retries that cannot cause a retry storm: jittered backoff, retry budgets, deadlines,
 * per-attempt signals and server `Retry-After` hints, on top of p-retry.
 *
 * @example
 * ```ts
 * import { retry } from '@rampart/retry';
 *
 * const user = await retry(async ({ signal }) => {
 *   const response = await fetch('https://users.internal/42', { signal });
 *   if (!response.ok) throw Object.assign(new Error(`users: ${response.status}`), { response });
 *   return response.json();
 * });
 * ```
 *
 * @packageDocumentation
 * @module @rampart/retry
 */

export type { Clock } from '@rampart/errors';
export type {
  Backoff,
  BackoffStrategies,
  ConstantBackoffOptions,
  DecorrelatedJitterBackoffOptions,
  ExponentialBackoffOptions,
  JitterBackoffOptions,
  RandomSource,
} from './backoff.ts';
export { backoff } from './backoff.ts';
export type {
  RetryAttemptEvent,
  RetryBudgetExhaustedEvent,
  RetryGiveUpEvent,
  RetryGiveUpReason,
} from './events.ts';
export { retryChannels } from './events.ts';
export { isRetryable } from './is-retryable.ts';
export { retry } from './retry.ts';
export type { RetryBudget, RetryBudgetOptions } from './retry-budget.ts';
export { createRetryBudget } from './retry-budget.ts';
export { createRetryPolicy } from './retry-policy.ts';
export type {
  AttemptContext,
  OnRetry,
  RetryContext,
  RetryExecuteOptions,
  RetryFunction,
  RetryOptions,
  RetryPolicy,
  RetryPolicyOptions,
  ShouldRetry,
} from './types.ts';
