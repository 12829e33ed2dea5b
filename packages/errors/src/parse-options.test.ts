import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigurationError, fromZodError, parseOptions, ValidationError } from './index.ts';

const mustBePositiveInteger = { error: 'must be a positive integer' };
const positiveInteger = z.int(mustBePositiveInteger).positive(mustBePositiveInteger);

const limiterSchema = z.strictObject({
  limits: z
    .array(
      z.strictObject({
        name: z.string().min(1),
        limit: positiveInteger,
        windowMs: positiveInteger,
      }),
    )
    .min(1),
  prefix: z.string().default('rampart'),
  storeTimeoutMs: z.union([positiveInteger, z.literal(false)]).default(50),
  onStoreError: z.enum(['fallback', 'allow', 'deny']).default('fallback'),
});

function configurationErrorOf(input: unknown): ConfigurationError {
  try {
    parseOptions(limiterSchema, input, 'createRateLimiter');
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('parseOptions', () => {
  it('returns the parsed options with defaults applied', () => {
    expect(
      parseOptions(
        limiterSchema,
        { limits: [{ name: 'minute', limit: 60, windowMs: 60_000 }] },
        'x',
      ),
    ).toEqual({
      limits: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
      prefix: 'rampart',
      storeTimeoutMs: 50,
      onStoreError: 'fallback',
    });
  });

  it('names the field, the expectation and the value received', () => {
    const error = configurationErrorOf({ limits: [{ name: 'minute', limit: 60, windowMs: -5 }] });
    expect(error.message).toBe(
      'createRateLimiter: `limits[0].windowMs` must be a positive integer (got -5)',
    );
    expect(error.issues).toEqual([
      {
        path: 'limits[0].windowMs',
        message: 'must be a positive integer (got -5)',
        code: 'too_small',
      },
    ]);
    expect(error.code).toBe('E_CONFIG');
  });

  it('names every bad field at once', () => {
    const error = configurationErrorOf({
      limits: [],
      prefix: 42,
      storeTimeoutMs: 'soon',
      onStoreError: 'explode',
      windowMs: 1,
    });
    expect(error.issues.map((issue) => `${issue.path} ${issue.message}`)).toEqual([
      'limits must not be empty (got an array of 0 items)',
      'prefix must be a string (got 42)',
      'storeTimeoutMs must be a positive integer or false (got "soon")',
      'onStoreError must be one of "fallback", "allow", "deny" (got "explode")',
      'windowMs is not a known option',
    ]);
  });

  it.each([
    [
      { limits: [{ name: 'm', limit: 1.5, windowMs: 1 }] },
      '`limits[0].limit` must be a positive integer (got 1.5)',
    ],
    [
      { limits: [{ name: 'm', limit: Number.NaN, windowMs: 1 }] },
      '`limits[0].limit` must be a positive integer (got NaN)',
    ],
    [{ limits: [{ name: 'm', limit: Number.POSITIVE_INFINITY, windowMs: 1 }] }, '(got Infinity)'],
    [{ limits: [{ name: 'm', windowMs: 1 }] }, '`limits[0].limit` is required'],
    [
      { limits: [{ name: 'm', limit: 1, windowMs: 1, burst: 1.5 }] },
      '`limits[0].burst` is not a known option',
    ],
    [{}, '`limits` is required'],
    [5, 'the input must be an object (got 5)'],
    [null, 'the input must be an object (got null)'],
  ])('explains %o', (input, expected) => {
    expect(configurationErrorOf(input).message).toContain(expected);
  });

  it('quotes keys that are not identifiers', () => {
    const schema = z.object({ headers: z.record(z.string(), z.string()) });
    expect(() => parseOptions(schema, { headers: { 'x-id': 1 } }, 'h')).toThrow(
      'h: `headers["x-id"]` must be a string (got 1)',
    );
  });

  it('turns a throwing getter into a ConfigurationError, never a TypeError', () => {
    const hostile = {
      get limits(): never {
        throw new TypeError('nope');
      },
    };
    expect(() => parseOptions(limiterSchema, hostile, 'createRateLimiter')).toThrow(
      ConfigurationError,
    );
  });
});

describe('fromZodError', () => {
  it('makes a cheap ValidationError naming every field', () => {
    const body = z.object({ email: z.email(), age: z.int().min(18) });
    const input = { email: 'nope', age: 12 };
    const result = body.safeParse(input);
    if (result.success) throw new Error('expected a failure');
    const error = fromZodError(result.error, { input });
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      'Invalid input: `email` must be a valid email (got "nope"); `age` must be at least 18 (got 12)',
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['email', 'age']);
    expect(error.stack).toBe(`ValidationError: ${error.message}`);
    expect(error.cause).toBe(result.error);
  });
});
