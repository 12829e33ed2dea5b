import { isRampartError } from './brand.ts';
import { InternalError, TimeoutError } from './built-in-errors.ts';
import { describeValue } from './describe-value.ts';
import type { RampartError } from './rampart-error.ts';
import { isErrorLike } from './serialize-error.ts';

/**
 * Turns anything that was thrown into a Rampart error, and never throws itself:
 * Rampart errors pass through unchanged; a `TimeoutError` DOMException (from `AbortSignal.timeout`) becomes a
 * {@link TimeoutError}; any other error becomes an {@link InternalError} (`E_INTERNAL`,
 * not exposed) with the original as `cause`; strings and other values become an
 * `InternalError` describing them.
 *
 * @remarks
 * A raw `ZodError` is an `InternalError` too: it usually comes from parsing data the
 * service received from elsewhere (an upstream's payload), and its paths name internal
 * fields. To answer a client's bad input with a 400, convert it yourself with
 * {@link fromZodError} or throw a {@link ValidationError}.
 *
 * @example
 * ```ts
 * import { normalizeError, toProblem } from '@rampart/errors';
 *
 * try {
 *   await handle(request);
 * } catch (thrown) {
 *   const error = normalizeError(thrown);
 *   logger.error({ err: error }, 'request failed');
 *   send(response, error.status, toProblem(error));
 * }
 * ```
 */
export function normalizeError(value: unknown): RampartError {
  try {
    if (isRampartError(value)) return value;
    if (isErrorLike(value)) return fromForeignError(value);
    if (typeof value === 'string') return new InternalError(value);
    return new InternalError(`A non-error value was thrown: ${describeValue(value)}`, {
      context: { thrown: value },
    });
  } catch {
    return new InternalError('An unreadable value was thrown');
  }
}

function fromForeignError(error: Error): RampartError {
  const name = safeRead(() => error.name);
  const message = safeRead(() => error.message) ?? '';
  if (name === 'TimeoutError') return new TimeoutError(message || undefined, { cause: error });
  return new InternalError(message || undefined, { cause: error });
}

function safeRead(read: () => unknown): string | undefined {
  try {
    const value = read();
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
