import { describe, expectTypeOf, it } from 'vitest';
import * as z from 'zod';
import {
  defineError,
  isRampartError,
  type JsonObject,
  NotFoundError,
  type ProblemDetails,
  parseOptions,
  type RampartError,
  RateLimitedError,
  toProblem,
  ValidationError,
  wrapErrors,
} from './index.ts';

describe('types', () => {
  it('gives built-ins literal codes', () => {
    expectTypeOf(new NotFoundError().code).toEqualTypeOf<'E_NOT_FOUND'>();
    expectTypeOf(new RateLimitedError().retryAfterMs).toEqualTypeOf<number | undefined>();
    expectTypeOf(new ValidationError().issues).toEqualTypeOf<
      readonly { readonly path: string; readonly message: string; readonly code: string }[]
    >();
  });

  it('types defined errors and their details', () => {
    const PaymentError = defineError<'E_PAYMENT_TYPED', { reason: string }>({
      code: 'E_PAYMENT_TYPED',
      status: 402,
      title: 'Payment',
    });
    const error = new PaymentError('x', { details: { reason: 'expired' } });
    expectTypeOf(error.code).toEqualTypeOf<'E_PAYMENT_TYPED'>();
    expectTypeOf(error.details.reason).toEqualTypeOf<string>();
    // @ts-expect-error details must match the declared shape
    new PaymentError('x', { details: { reason: 1 } });
  });

  it('narrows with isRampartError', () => {
    const value: unknown = new NotFoundError();
    if (isRampartError(value, 'E_NOT_FOUND')) {
      expectTypeOf(value).toEqualTypeOf<RampartError<'E_NOT_FOUND'>>();
      expectTypeOf(value.details).toEqualTypeOf<JsonObject>();
    }
  });

  it('infers parsed options from the schema', () => {
    const options = parseOptions(z.object({ ttlMs: z.number().default(5) }), {}, 'x');
    expectTypeOf(options).toEqualTypeOf<{ ttlMs: number }>();
  });

  it('keeps the wrapped function type, sync or async', () => {
    const sync = wrapErrors((a: number, b: string) => `${a}${b}`, ValidationError);
    expectTypeOf(sync).toEqualTypeOf<(a: number, b: string) => string>();
    const asyncFn = wrapErrors(async (id: string) => ({ id }), NotFoundError);
    expectTypeOf(asyncFn).returns.toEqualTypeOf<Promise<{ id: string }>>();
  });

  it('returns problem details', () => {
    expectTypeOf(toProblem(new Error())).toEqualTypeOf<ProblemDetails>();
  });
});
