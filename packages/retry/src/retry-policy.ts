import { invalidArgument } from '@rampart/errors';
import { Execution } from './internal/execution.ts';
import { isAbortSignal, policySettings, type RetrySettings } from './internal/settings.ts';
import type {
  RetryExecuteOptions,
  RetryFunction,
  RetryPolicy,
  RetryPolicyOptions,
} from './types.ts';

/**
 * Creates a reusable retry policy for one dependency: validated once, with a retry budget
 * shared by all its calls and its `name` on every event. Safe defaults: 3 retries with full
 * jitter (base 100 ms, cap 10 s), a 30 s deadline, server hints honoured, the
 * {@link isRetryable} classifier and a budget of 10 % of calls plus 10 retries per second.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every invalid option.
 * @example
 * ```ts
 * import { backoff, createRetryPolicy } from '@rampart/retry';
 *
 * const inventory = createRetryPolicy({
 *   name: 'inventory',
 *   retries: 4,
 *   backoff: backoff.fullJitter({ baseMs: 50, maxMs: 2_000 }),
 *   attemptTimeoutMs: 1_000,
 *   maxElapsedMs: 5_000,
 * });
 *
 * const stock = await inventory.execute(async ({ signal }) => {
 *   const response = await fetch('https://inventory.internal/stock/42', { signal });
 *   if (!response.ok) throw Object.assign(new Error('inventory failed'), { response });
 *   return response.json();
 * }, { signal: request.signal });
 * ```
 */
export function createRetryPolicy(options?: RetryPolicyOptions): RetryPolicy {
  return policyFrom(policySettings(options));
}

/** The policy behind validated settings. */
export function policyFrom(settings: RetrySettings): RetryPolicy {
  return Object.freeze({
    name: settings.name,
    budget: settings.budget,
    execute<Result>(fn: RetryFunction<Result>, options?: RetryExecuteOptions): Promise<Result> {
      if (typeof fn !== 'function') {
        return Promise.reject(invalidArgument('execute', 'fn', 'must be a function', fn));
      }
      const signal = options?.signal;
      if (signal !== undefined && !isAbortSignal(signal)) {
        return Promise.reject(
          invalidArgument('execute', 'options.signal', 'must be an AbortSignal', signal),
        );
      }
      return new Execution(settings, fn, signal).start();
    },
  });
}
