import { isRampartError } from '@rampart/errors';
import { statusOf } from './internal/error-fields.ts';

/**
 * What a failover does after a provider's error: `'next'` moves on to the next provider,
 * `'stop'` rejects the call with the error at once.
 */
export type FailoverDecision = 'next' | 'stop';

/** HTTP statuses that mean the request itself is wrong: every provider would refuse it. */
const INPUT_STATUSES: ReadonlySet<number> = new Set([400, 404, 409, 413, 422]);

/**
 * The default classification of a provider's error: `'stop'` when the input is wrong, else `'next'`.
 *
 * @remarks
 * It stops on errors that say the input is wrong, since the same input fails everywhere: a
 * Rampart `E_VALIDATION`, or any error with HTTP status 400, 404, 409, 413 or 422 (on
 * `status` or `statusCode`; a Rampart error marked retryable always moves on). Everything else moves on: retryable Rampart errors, timeouts, open
 * circuits, 429s, 5xx, connection errors, and 401/403 (another provider has other
 * credentials). It never throws, whatever it is given.
 *
 * @example
 * ```ts
 * import { classifyFailoverError, createFailover } from '@rampart/failover';
 *
 * const failover = createFailover({
 *   name: 'completions',
 *   providers: [primary, secondary],
 *   // A refused prompt would be refused by every provider.
 *   classify: (error) =>
 *     error instanceof Error && error.message.includes('content policy')
 *       ? 'stop'
 *       : classifyFailoverError(error),
 * });
 * ```
 */
export function classifyFailoverError(error: unknown): FailoverDecision {
  try {
    if (isRampartError(error)) {
      if (error.retryable || error.status >= 500) return 'next';
      return error.code === 'E_VALIDATION' || INPUT_STATUSES.has(error.status) ? 'stop' : 'next';
    }
  } catch {
    // An error whose fields cannot be read says nothing about the input: move on.
    return 'next';
  }
  const status = statusOf(error);
  return status !== undefined && INPUT_STATUSES.has(status) ? 'stop' : 'next';
}
