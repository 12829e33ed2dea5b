import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import {
  CircuitOpenError,
  DEFAULT_PROBLEM_TYPE_BASE_URI,
  deserializeError,
  fromZodError,
  InternalError,
  NotFoundError,
  PROBLEM_CONTENT_TYPE,
  type RampartError,
  type RampartErrorOptions,
  RateLimitedError,
  toProblem,
  toProblemResponse,
  UnavailableError,
  ValidationError,
} from './index.ts';

describe('toProblem', () => {
  it('projects an exposed error onto RFC 9457 members', () => {
    const problem = toProblem(
      new NotFoundError('No user 42', { details: { userId: 42 }, context: { sql: 'SELECT' } }),
      {
        instance: '/users/42',
      },
    );
    expect(problem).toEqual({
      type: `${DEFAULT_PROBLEM_TYPE_BASE_URI}e_not_found`,
      title: 'Not Found',
      status: 404,
      detail: 'No user 42',
      instance: '/users/42',
      code: 'E_NOT_FOUND',
      details: { userId: 42 },
    });
  });

  it('hides the message, details and issues of errors that are not exposed', () => {
    const problem = toProblem(
      new InternalError('password for db is hunter2', {
        details: { table: 'users' },
        context: { secret: 1 },
      }),
    );
    expect(problem).toEqual({
      type: `${DEFAULT_PROBLEM_TYPE_BASE_URI}e_internal`,
      title: 'Internal Server Error',
      status: 500,
      code: 'E_INTERNAL',
    });
  });

  it('treats anything foreign as an internal error without leaking its message', () => {
    expect(toProblem(new Error('ECONNREFUSED 10.0.0.7:5432'))).toEqual({
      type: `${DEFAULT_PROBLEM_TYPE_BASE_URI}e_internal`,
      title: 'Internal Server Error',
      status: 500,
      code: 'E_INTERNAL',
    });
    expect(toProblem('a string').detail).toBeUndefined();
  });

  it('carries the retry hint and the violated policies of a rate limit', () => {
    const problem = toProblem(
      new RateLimitedError('Too many requests', {
        retryAfterMs: 1_234.2,
        policies: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
      }),
    );
    expect(problem.retryAfterMs).toBe(1_235);
    expect(problem['violated-policies']).toEqual(['minute']);
    expect(problem.type).toBe('https://iana.org/assignments/http-problem-types#quota-exceeded');
  });

  it('keeps the retry hint of a non-exposed 503', () => {
    const problem = toProblem(
      new CircuitOpenError('breaker payments open', { retryAfterMs: 5_000 }),
    );
    expect(problem).toMatchObject({ status: 503, code: 'E_CIRCUIT_OPEN', retryAfterMs: 5_000 });
    expect(problem.detail).toBeUndefined();
  });

  it('lists validation issues', () => {
    const parsed = z.object({ email: z.email() }).safeParse({ email: 'x' });
    if (parsed.success) throw new Error('expected failure');
    expect(toProblem(fromZodError(parsed.error)).issues).toEqual([
      { path: 'email', message: 'must be a valid email', code: 'invalid_format' },
    ]);
  });

  it('uses a custom type base URI', () => {
    expect(
      toProblem(new NotFoundError(), { typeBaseUri: 'https://api.example.com/problems/' }).type,
    ).toBe('https://api.example.com/problems/e_not_found');
  });

  it('drops malformed extension members of a revived error', () => {
    const revived = deserializeError({
      rampart: true,
      name: 'ValidationError',
      message: 'bad',
      code: 'E_VALIDATION',
      issues: [{ path: 1 }, 'x', { path: 'a', message: 'm', code: 'c', extra: 'secret' }],
      retryAfterMs: 'soon',
      status: 9000,
    });
    const problem = toProblem(revived);
    expect(problem.issues).toEqual([{ path: 'a', message: 'm', code: 'c' }]);
    expect(problem.retryAfterMs).toBeUndefined();
    expect(problem.status).toBe(400);
  });

  const thrownValue = fc.oneof(
    fc.anything(),
    fc
      .record({
        message: fc.string(),
        expose: fc.boolean(),
        status: fc.integer({ min: 400, max: 599 }),
        details: fc.dictionary(fc.string(), fc.jsonValue()),
        kind: fc.constantFrom<new (message: string, options: RampartErrorOptions) => RampartError>(
          NotFoundError,
          InternalError,
          UnavailableError,
          ValidationError,
          RateLimitedError,
        ),
      })
      .map(
        ({ kind: ErrorClass, message, expose, details }) =>
          new ErrorClass(message, {
            expose,
            details: details as never,
            context: { marker: 'CONTEXT-MARKER' },
            cause: new Error('CAUSE-MARKER'),
          }),
      ),
  );

  it('never contains a stack, cause or internal context, for any input (property)', () => {
    fc.assert(
      fc.property(thrownValue, (value) => {
        const text = JSON.stringify(toProblem(value));
        expect(text).not.toContain('CONTEXT-MARKER');
        expect(text).not.toContain('CAUSE-MARKER');
        expect(text).not.toMatch(/\bat .+:\d+:\d+/);
        const problem = JSON.parse(text) as Record<string, unknown>;
        expect(Object.keys(problem)).not.toContain('stack');
        expect(Object.keys(problem)).not.toContain('cause');
        expect(Object.keys(problem)).not.toContain('context');
        if (problem.status === 500 && (value as { expose?: unknown } | null)?.expose !== true) {
          expect(problem.detail).toBeUndefined();
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('toProblemResponse', () => {
  it('renders status, problem+json and Retry-After in whole seconds', () => {
    const response = toProblemResponse(new RateLimitedError('slow', { retryAfterMs: 1_001 }));
    expect(response.status).toBe(429);
    expect(response.headers).toEqual({ 'content-type': PROBLEM_CONTENT_TYPE, 'retry-after': '2' });
    expect(JSON.parse(response.body)).toMatchObject({
      code: 'E_RATE_LIMITED',
      retryAfterMs: 1_001,
    });
  });

  it('omits Retry-After when the error does not say', () => {
    expect(toProblemResponse(new NotFoundError()).headers).toEqual({
      'content-type': PROBLEM_CONTENT_TYPE,
    });
  });
});
