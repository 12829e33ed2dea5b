import { invalidArgument, MAX_TIMER_DELAY_MS } from '@rampart/errors';

/** A whole number of milliseconds, at least 1 and at most 2^31 - 1 (what `setTimeout` takes). */
const MAX_TIMEOUT_MS = MAX_TIMER_DELAY_MS;

/**
 * Reads `options.<field>` as a duration in milliseconds, `fallback` when absent.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the field when it is not a positive integer in range.
 */
export function readDuration(
  where: string,
  options: object | undefined,
  field: string,
  fallback: number,
): number {
  const value = (options as Record<string, unknown> | undefined)?.[field];
  if (value === undefined) return fallback;
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value > 0 &&
    value <= MAX_TIMEOUT_MS
  ) {
    return value;
  }
  throw invalidArgument(
    where,
    `options.${field}`,
    `must be a positive integer of milliseconds up to ${MAX_TIMEOUT_MS}`,
    value,
  );
}

/**
 * Reads `options.signal`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when it is present and not an `AbortSignal`.
 */
export function readSignal(where: string, options: object | undefined): AbortSignal | undefined {
  const signal = (options as { signal?: unknown } | undefined)?.signal;
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw invalidArgument(where, 'options.signal', 'must be an AbortSignal', signal);
}

/**
 * Checks that `options` is an object or absent.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} otherwise.
 */
export function readOptions(where: string, options: unknown): object | undefined {
  if (options === undefined || (typeof options === 'object' && options !== null)) {
    return options ?? undefined;
  }
  throw invalidArgument(where, 'options', 'must be an object', options);
}
