import { isRampartError } from '@rampart/errors';

/**
 * The `error_type` label of a failure: the Rampart error `code`, or the code
 * `normalizeError` would give a foreign error (`E_TIMEOUT` for a `TimeoutError`,
 * `E_VALIDATION` for a zod error, `E_INTERNAL` otherwise), computed without building an
 * error, so failing hot paths stay cheap and the label stays within the error taxonomy.
 */
export function errorTypeOf(error: unknown): string {
  if (isRampartError(error)) return error.code;
  const name = typeof error === 'object' && error !== null ? readName(error) : undefined;
  if (name === 'TimeoutError') return 'E_TIMEOUT';
  if (name === 'ZodError') return 'E_VALIDATION';
  return 'E_INTERNAL';
}

function readName(error: object): unknown {
  try {
    return (error as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}
