import * as z from 'zod';
import { type Clock, isClock } from './clock.ts';

/**
 * The longest delay, in milliseconds, a Node.js timer honours (2^31 − 1, about 24.8 days).
 *
 * @remarks
 * Node clamps a longer `setTimeout` delay to 1 ms, so a "timeout" of 30 days would fire at
 * once; {@link durationMsSchema} rejects such values instead.
 */
export const MAX_TIMER_DELAY_MS: number = 2_147_483_647;

/**
 * The one wording of each option atom's error message, for checks made outside a schema.
 *
 * @remarks
 * Pass one to {@link invalidArgument} so a hot-path argument is worded exactly like the
 * option it mirrors: `invalidArgument('wait', 'timeoutMs', optionMessages.durationMs, value)`.
 */
export const optionMessages: Readonly<{
  durationMs: string;
  nonNegativeDurationMs: string;
  ratio: string;
  name: string;
  abortSignal: string;
  clock: string;
}> = Object.freeze({
  durationMs: `must be a whole number of milliseconds from 1 to ${MAX_TIMER_DELAY_MS}`,
  nonNegativeDurationMs: `must be a whole number of milliseconds from 0 to ${MAX_TIMER_DELAY_MS}`,
  ratio: 'must be a number from 0 to 1',
  name: 'must be a non-empty string',
  abortSignal: 'must be an AbortSignal',
  clock: 'must be an object with a now() method',
});

function isWholeMs(value: unknown, minimum: number): value is number {
  return (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= minimum &&
    value <= MAX_TIMER_DELAY_MS
  );
}

/**
 * Whether a value is a whole number of milliseconds from `minimum` (1 by default, or 0) to
 * {@link MAX_TIMER_DELAY_MS}: the check behind {@link durationMsSchema} and
 * {@link nonNegativeDurationMsSchema}, for arguments checked outside a schema.
 *
 * @example
 * ```ts
 * import { invalidArgument, isDurationMs, optionMessages } from '@rampart/errors';
 *
 * function wait(timeoutMs: number): void {
 *   if (!isDurationMs(timeoutMs)) {
 *     throw invalidArgument('wait', 'timeoutMs', optionMessages.durationMs, timeoutMs);
 *   }
 * }
 * ```
 */
export function isDurationMs(value: unknown, minimum: 0 | 1 = 1): value is number {
  return isWholeMs(value, minimum);
}

/**
 * Option schema of a duration in milliseconds that drives a timer: an integer from 1 to
 * {@link MAX_TIMER_DELAY_MS}.
 *
 * @remarks
 * Values of 2^31 ms or more are rejected because Node would clamp the timer to 1 ms. Use it
 * in a factory's zod schema and pass the schema to {@link parseOptions}:
 * ``createThing: `timeoutMs` must be a whole number of milliseconds from 1 to 2147483647 (got 0)``.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { durationMsSchema, parseOptions } from '@rampart/errors';
 *
 * const schema = z.strictObject({ timeoutMs: durationMsSchema.default(1_000) });
 * const { timeoutMs } = parseOptions(schema, { timeoutMs: 250 }, 'createThing');
 * ```
 */
export const durationMsSchema: z.ZodCustom<number, number> = z.custom<number>(
  (value) => isWholeMs(value, 1),
  { error: optionMessages.durationMs },
);

/**
 * Option schema of a duration in milliseconds that may be zero (no delay, no grace): an
 * integer from 0 to {@link MAX_TIMER_DELAY_MS}.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { nonNegativeDurationMsSchema } from '@rampart/errors';
 *
 * const schema = z.strictObject({ graceMs: nonNegativeDurationMsSchema.default(0) });
 * ```
 */
export const nonNegativeDurationMsSchema: z.ZodCustom<number, number> = z.custom<number>(
  (value) => isWholeMs(value, 0),
  { error: optionMessages.nonNegativeDurationMs },
);

/**
 * Option schema of a ratio: a finite number from 0 to 1 inclusive (`0.25` is a quarter).
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { ratioSchema } from '@rampart/errors';
 *
 * const schema = z.strictObject({ jitter: ratioSchema.default(0.2) });
 * ```
 */
export const ratioSchema: z.ZodCustom<number, number> = z.custom<number>(
  (value) => typeof value === 'number' && value >= 0 && value <= 1,
  { error: optionMessages.ratio },
);

/**
 * Option schema of a name (a breaker's, a limiter's, a cache's): a string with at least one
 * character that is not white space.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { nameSchema } from '@rampart/errors';
 *
 * const schema = z.strictObject({ name: nameSchema });
 * ```
 */
export const nameSchema: z.ZodCustom<string, string> = z.custom<string>(
  (value) => typeof value === 'string' && value.trim() !== '',
  { error: optionMessages.name },
);

/**
 * Whether a value is an `AbortSignal`, from this realm or another (a worker's, a `vm`
 * context's): checked by shape, never throws.
 *
 * @example
 * ```ts
 * import { isAbortSignalLike } from '@rampart/errors';
 *
 * isAbortSignalLike(AbortSignal.timeout(1_000)); // true
 * ```
 */
export function isAbortSignalLike(value: unknown): value is AbortSignal {
  if (value instanceof AbortSignal) return true;
  if (typeof value !== 'object' || value === null) return false;
  try {
    const signal = value as Partial<AbortSignal>;
    return (
      typeof signal.addEventListener === 'function' &&
      typeof signal.removeEventListener === 'function' &&
      typeof signal.throwIfAborted === 'function' &&
      typeof signal.aborted === 'boolean'
    );
  } catch {
    return false;
  }
}

/**
 * Option schema of an `AbortSignal` (from any realm: see {@link isAbortSignalLike}).
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { abortSignalSchema } from '@rampart/errors';
 *
 * const schema = z.strictObject({ signal: abortSignalSchema.optional() });
 * ```
 */
export const abortSignalSchema: z.ZodCustom<AbortSignal, AbortSignal> = z.custom<AbortSignal>(
  isAbortSignalLike,
  { error: optionMessages.abortSignal },
);

/**
 * Option schema of a {@link Clock}: any object with a `now()` method.
 *
 * @remarks
 * Combine with `.default(() => systemClock)` (see {@link systemClock}) or leave it optional.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { clockSchema, systemClock } from '@rampart/errors';
 *
 * const schema = z.strictObject({ clock: clockSchema.default(() => systemClock) });
 * ```
 */
export const clockSchema: z.ZodCustom<Clock, Clock> = z.custom<Clock>(isClock, {
  error: optionMessages.clock,
});
