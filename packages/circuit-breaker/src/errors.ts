import {
  defineError,
  errorRegistry,
  isRampartError,
  type RampartErrorClass,
} from '@rampart/errors';

const CAPACITY_CODE = 'E_CIRCUIT_CAPACITY';

/**
 * A breaker rejected a call because `capacity` calls were already in flight
 * (`E_CIRCUIT_CAPACITY`, 503, retryable). Not counted as a failure of the dependency. No stack
 * is captured: under overload it is thrown at high rates.
 *
 * @example
 * ```ts
 * import { isRampartError } from '@rampart/errors';
 *
 * try {
 *   await breaker.execute(order);
 * } catch (error) {
 *   if (isRampartError(error, 'E_CIRCUIT_CAPACITY')) response.setHeader('retry-after', '1');
 *   throw error;
 * }
 * ```
 */
export const CircuitCapacityError: RampartErrorClass<'E_CIRCUIT_CAPACITY'> =
  // A second copy of this package in the same process reuses the class the first one registered.
  (errorRegistry.get(CAPACITY_CODE)?.errorClass as
    | RampartErrorClass<'E_CIRCUIT_CAPACITY'>
    | undefined) ??
  defineError({
    code: CAPACITY_CODE,
    status: 503,
    title: 'Circuit At Capacity',
    name: 'CircuitCapacityError',
    retryable: true,
    captureStack: false,
  });

/** An instance of {@link CircuitCapacityError}. */
export type CircuitCapacityError = InstanceType<typeof CircuitCapacityError>;

/**
 * The default failure classification: whether an error thrown by a guarded function means
 * the dependency is failing. Rampart errors that are not retryable and have a status below
 * 500 (`E_VALIDATION`, `E_NOT_FOUND`, `E_CONFLICT`, …) are answers from a healthy dependency;
 * every other error (retryable or 5xx Rampart errors, any foreign error) is a failure.
 *
 * @example
 * ```ts
 * import { createCircuitBreaker, isDependencyFailure } from '@rampart/circuit-breaker';
 *
 * const breaker = createCircuitBreaker(charge, {
 *   name: 'payments',
 *   // A declined card is the bank answering, not the bank failing.
 *   isFailure: (error) => !(error instanceof CardDeclinedError) && isDependencyFailure(error),
 * });
 * ```
 */
export function isDependencyFailure(error: unknown): boolean {
  if (!isRampartError(error)) return true;
  return error.retryable || error.status >= 500;
}
