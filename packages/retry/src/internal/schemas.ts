import * as z from 'zod';

/** Any function; the caller's type parameter says which. */
export function functionSchema<Fn>(): z.ZodType<Fn> {
  return z.custom<Fn>((value) => typeof value === 'function', { error: 'must be a function' });
}
