import type { RampartError } from './rampart-error.ts';

/** The brand shared by every copy of this package, so detection works across duplicate installs. */
export const RAMPART_ERROR_BRAND: unique symbol = Symbol.for('rampart.error');

/**
 * Tells whether a value is a Rampart error, optionally with a given code. Unlike
 * `instanceof`, it works when two copies of `@rampart/errors` are installed.
 *
 * @example
 * ```ts
 * import { isRampartError } from '@rampart/errors';
 *
 * try {
 *   await limiter.consume(key);
 * } catch (error) {
 *   if (isRampartError(error, 'E_VALIDATION')) response.statusCode = error.status;
 * }
 * ```
 */
export function isRampartError<Code extends string = string>(
  value: unknown,
  code?: Code,
): value is RampartError<Code> {
  if (typeof value !== 'object' || value === null) return false;
  try {
    if ((value as { [RAMPART_ERROR_BRAND]?: unknown })[RAMPART_ERROR_BRAND] !== true) return false;
    return code === undefined || (value as { code?: unknown }).code === code;
  } catch {
    return false;
  }
}
