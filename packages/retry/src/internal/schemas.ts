import * as z from 'zod';
import type { Clock } from '../clock.ts';

/** A `{ now(): number }` object. */
export const clockSchema: z.ZodType<Clock> = z.custom<Clock>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { now?: unknown }).now === 'function',
  { error: 'must be an object with a now() method' },
);

/** Any function; the caller's type parameter says which. */
export function functionSchema<Fn>(): z.ZodType<Fn> {
  return z.custom<Fn>((value) => typeof value === 'function', { error: 'must be a function' });
}
