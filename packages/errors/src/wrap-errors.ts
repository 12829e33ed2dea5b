import { isRampartError } from './brand.ts';
import { InternalError } from './built-in-errors.ts';
import { normalizeError } from './normalize-error.ts';
import type { RampartError, RampartErrorClass } from './rampart-error.ts';

/** Maps a foreign error (anything that is not a Rampart error) to a Rampart error. */
export type ErrorMapper = (error: unknown) => RampartError;

/**
 * Wraps a function so that every error it throws or rejects with is a Rampart error:
 * Rampart errors pass through unchanged; anything else is mapped by `mapOrClass`, either
 * a mapper function or an error class (instantiated with the original as `cause` and the
 * class's title as message, so a foreign message never becomes client-visible).
 * A synchronous function stays synchronous; `this` and arguments are passed through.
 *
 * @example
 * ```ts
 * import { UnavailableError, ValidationError, wrapErrors } from '@rampart/errors';
 *
 * const fetchUser = wrapErrors(async (id: string) => db.users.find(id), UnavailableError);
 * // rejects with UnavailableError (cause: the driver's error) when the database fails
 *
 * const parse = wrapErrors(
 *   (text: string) => JSON.parse(text) as unknown,
 *   (error) => new ValidationError('Body is not JSON', { cause: error }),
 * );
 * ```
 */
export function wrapErrors<Fn extends (...args: never[]) => unknown>(
  fn: Fn,
  mapOrClass: ErrorMapper | RampartErrorClass,
): Fn {
  const map = toMapper(mapOrClass);
  const rethrow = (error: unknown): never => {
    throw isRampartError(error) ? error : mapSafely(map, error);
  };
  return function wrapped(this: unknown, ...args: Parameters<Fn>): unknown {
    let result: unknown;
    try {
      result = fn.apply(this, args);
    } catch (error) {
      return rethrow(error);
    }
    return adoptThenable(result, rethrow);
  } as Fn;
}

/**
 * Returns a value unchanged unless it is a thenable; a thenable is adopted into a promise
 * that rejects with a mapped error. A `then` getter or call that throws rejects the same
 * way instead of escaping raw.
 */
function adoptThenable(result: unknown, rethrow: (error: unknown) => never): unknown {
  if ((typeof result !== 'object' && typeof result !== 'function') || result === null) {
    return result;
  }
  let then: unknown;
  try {
    if (result instanceof Promise) return result.then(undefined, rethrow);
    then = (result as { then?: unknown }).then;
  } catch (error) {
    return Promise.reject(error).then(undefined, rethrow);
  }
  if (typeof then !== 'function') return result;
  return new Promise((resolve, reject) => {
    (then as PromiseLike<unknown>['then']).call(result, resolve, reject);
  }).then(undefined, rethrow);
}

function toMapper(mapOrClass: ErrorMapper | RampartErrorClass): ErrorMapper {
  if ('definition' in mapOrClass && typeof mapOrClass.definition === 'object') {
    const ErrorClass = mapOrClass;
    return (cause) => new ErrorClass(undefined, { cause });
  }
  return mapOrClass as ErrorMapper;
}

function mapSafely(map: ErrorMapper, error: unknown): RampartError {
  try {
    return normalizeError(map(error));
  } catch (mapperError) {
    return new InternalError('The error mapper failed', { cause: error, context: { mapperError } });
  }
}
