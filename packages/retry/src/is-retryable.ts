import { isRampartError } from '@rampart/errors';
import { httpStatusOf, readProperty } from './internal/inspect-error.ts';

/** Error codes of network failures that a later attempt may not meet. */
const TRANSIENT_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENETRESET',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
  'ERR_STREAM_PREMATURE_CLOSE',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CLOSED',
]);

/** HTTP statuses that say "try again": timeout, too early, too many requests, server trouble. */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** How deep `cause` chains are followed looking for a network code. */
const MAX_CAUSE_DEPTH = 4;

/**
 * The default classifier of policies: tells whether repeating the failed operation may
 * succeed. In order:
 *
 * 1. not an object (a thrown string, `undefined`): no, it cannot be classified;
 * 2. a caller's abort (`name` `AbortError`): never;
 * 3. a Rampart error: its `retryable` flag (`E_TIMEOUT`, `E_RATE_LIMITED`, `E_UNAVAILABLE`,
 *    `E_CIRCUIT_OPEN` yes; `E_VALIDATION`, `E_NOT_FOUND`, `E_INTERNAL`, … no);
 * 4. a transient network error, by its `code` or its causes' (`ECONNRESET`, `ETIMEDOUT`,
 *    `ECONNREFUSED`, `EPIPE`, `EAI_AGAIN`, undici's socket and timeout codes, …): yes, even
 *    inside a `TypeError` such as fetch's `fetch failed`;
 * 5. a programmer error (`TypeError`, `ReferenceError`, `SyntaxError`): never;
 * 6. an HTTP status (`status`, `statusCode`, `response.status`, `$metadata.httpStatusCode`):
 *    yes for 408, 425, 429, 500, 502, 503 and 504, no for any other;
 * 7. any other `code` (`ENOENT`, `ERR_INVALID_ARG_TYPE`, …): no;
 * 8. an error with none of these (`new Error('flaky')`): yes, so plain failures are retried.
 *
 * Pass your own `shouldRetry` to a policy to change this; call `isRetryable` from it to
 * extend rather than replace it. Never throws, whatever it is given.
 *
 * @example
 * ```ts
 * import { isRetryable, createRetryPolicy } from '@rampart/retry';
 *
 * const policy = createRetryPolicy({
 *   // Also retry our database's deadlock errors.
 *   shouldRetry: (error) => isRetryable(error) || (error as { code?: unknown }).code === '40P01',
 * });
 * ```
 */
export function isRetryable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  try {
    if ((error as { name?: unknown }).name === 'AbortError') return false;
    if (isRampartError(error)) return error.retryable;
    if (hasTransientCode(error)) return true;
    if (error instanceof TypeError || error instanceof ReferenceError) return false;
    if (error instanceof SyntaxError) return false;
    const status = httpStatusOf(error);
    if (status !== undefined) return RETRYABLE_STATUSES.has(status);
    return typeof readProperty(error, 'code') !== 'string';
  } catch {
    return false;
  }
}

function hasTransientCode(error: object): boolean {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    const code = readProperty(current, 'code');
    if (typeof code === 'string' && TRANSIENT_CODES.has(code)) return true;
    current = readProperty(current, 'cause');
  }
  return false;
}
