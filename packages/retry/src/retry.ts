import { invalidArgument } from '@rampart/errors';
import { Execution } from './internal/execution.ts';
import { policySettings, type RetrySettings, retrySettings } from './internal/settings.ts';
import type { RetryFunction, RetryOptions } from './types.ts';

let defaults: RetrySettings | undefined;

/**
 * Runs `fn({ attempt, signal })` — sync or async — and retries it on transient failures.
 * Resolves with its result, or rejects with the **last error unchanged** (with the abort
 * reason when `signal` aborts). Without options it uses the safe defaults of
 * {@link createRetryPolicy} minus the budget, which only a shared policy can hold: for calls
 * made often, create a policy once.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} (as a rejection) naming every invalid option.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) when `fn` is not a function.
 * @example
 * ```ts
 * import { retry } from '@rampart/retry';
 *
 * const user = await retry(async ({ signal }) => {
 *   const response = await fetch(`https://users.internal/${id}`, { signal });
 *   if (!response.ok) throw Object.assign(new Error(`users: ${response.status}`), { response });
 *   return response.json();
 * }, { retries: 2, signal: AbortSignal.timeout(5_000) });
 * ```
 */
export function retry<Result>(fn: RetryFunction<Result>, options?: RetryOptions): Promise<Result> {
  if (typeof fn !== 'function') {
    return Promise.reject(invalidArgument('retry', 'fn', 'must be a function', fn));
  }
  if (options === undefined) {
    defaults ??= policySettings({ budget: false });
    return new Execution(defaults, fn, undefined).start();
  }
  let parsed: ReturnType<typeof retrySettings>;
  try {
    parsed = retrySettings(options);
  } catch (error) {
    return Promise.reject(error);
  }
  return new Execution(parsed.settings, fn, parsed.signal).start();
}
