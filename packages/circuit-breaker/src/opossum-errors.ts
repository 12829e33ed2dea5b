import {
  CircuitOpenError,
  isRampartError,
  type RampartError,
  TimeoutError,
  UnavailableError,
} from '@rampart/errors';
import { CircuitCapacityError } from './errors.ts';
import { retryAfterOf } from './internal/opossum/breaker-state.ts';
import type { OpossumBreakerLike } from './opossum-breaker.ts';

/** The `code` opossum gives each rejection it makes itself. */
const OPOSSUM_CODES = new Set(['EOPENBREAKER', 'ETIMEDOUT', 'ESEMLOCKED', 'ESHUTDOWN']);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function nameOf(breaker: OpossumBreakerLike | undefined): string {
  const name = breaker?.name;
  return typeof name === 'string' && name !== '' ? name : 'opossum';
}

/**
 * Whether opossum itself made `error` (rather than the guarded action): its static
 * `isOurError` when the breaker is given, else its codes.
 */
function madeByOpossum(error: unknown, breaker: OpossumBreakerLike | undefined): boolean {
  const code = codeOf(error);
  if (code === undefined || !OPOSSUM_CODES.has(code) || !(error instanceof Error)) return false;
  const isOurError = (
    breaker?.constructor as { isOurError?: (error: unknown) => boolean } | undefined
  )?.isOurError;
  return typeof isOurError === 'function' ? isOurError(error) === true : true;
}

/**
 * Maps a rejection of an opossum breaker to Rampart's taxonomy: `EOPENBREAKER` becomes a
 * `CircuitOpenError` (with `retryAfterMs` when `breaker` is given and
 * {@link instrumentOpossum | instrumented}: opossum does not record when it opened), `ETIMEDOUT` a
 * `TimeoutError`, `ESEMLOCKED` a {@link CircuitCapacityError} and `ESHUTDOWN` an
 * `UnavailableError`, each with the original as `cause`. Anything else (the guarded action's
 * own errors, Rampart errors) comes back unchanged.
 *
 * @remarks
 * Pass the breaker so opossum's own `isOurError` tells its rejections from an action's error
 * that happens to carry the same `code` (a socket's `ETIMEDOUT` stays the action's), and so an
 * open circuit's wait is known.
 *
 * @example
 * ```ts
 * import CircuitBreaker from 'opossum';
 * import { toRampartError } from '@rampart/circuit-breaker/opossum';
 *
 * const breaker = new CircuitBreaker(fetchPrices, { name: 'prices', timeout: 2_000 });
 * const prices = await breaker.fire('EUR').catch((error: unknown) => {
 *   throw toRampartError(error, breaker); // CircuitOpenError, TimeoutError, …
 * });
 * ```
 */
export function toRampartError<T>(error: T, breaker?: OpossumBreakerLike): T | RampartError {
  if (isRampartError(error) || !madeByOpossum(error, breaker)) return error;
  const name = nameOf(breaker);
  switch (codeOf(error)) {
    case 'EOPENBREAKER': {
      const retryAfterMs = retryAfterOf(breaker);
      return new CircuitOpenError(`Circuit "${name}" is open`, {
        cause: error,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
    }
    case 'ETIMEDOUT':
      return new TimeoutError(`Circuit "${name}": the call timed out`, { cause: error });
    case 'ESEMLOCKED':
      return new CircuitCapacityError(`Circuit "${name}" is at capacity`, { cause: error });
    default:
      return new UnavailableError(`Circuit "${name}" has been shut down`, { cause: error });
  }
}
