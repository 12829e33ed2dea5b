import { hostileReturnValues } from '@rampart/test-harness';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  InternalError,
  type JsonObject,
  RateLimitedError,
  toProblem,
  toProblemResponse,
  UnavailableError,
  ValidationError,
  wrapErrors,
} from './index.ts';

const SECRET = 'redis://admin:hunter2@db.internal:6379';

/** Wraps a value in `depth` levels of objects and arrays. */
function nest(value: unknown, path: readonly boolean[]): unknown {
  return path.reduceRight<unknown>((inner, asArray) => (asArray ? [inner] : { inner }), value);
}

describe('toProblem: nothing private at any depth', () => {
  it('never writes context, stack, cause or a private message from details (property)', () => {
    const privateError = fc.constantFrom(
      () => new InternalError(SECRET, { context: { dsn: SECRET }, cause: new Error(SECRET) }),
      () => new ConflictError('public', { context: { dsn: SECRET }, cause: SECRET }),
      () => Object.assign(new Error(SECRET), { context: { dsn: SECRET } }),
      () => ({ context: { dsn: SECRET }, stack: SECRET, cause: SECRET, ok: 1 }),
    );
    fc.assert(
      fc.property(privateError, fc.array(fc.boolean(), { maxLength: 8 }), (make, path) => {
        const details = { found: nest(make(), path) } as unknown as JsonObject;
        const body = toProblemResponse(new ConflictError('conflict', { details })).body;
        expect(body).not.toContain('hunter2');
        expect(body).not.toMatch(/"(context|stack|cause)"/);
      }),
    );
  });
});

describe('toProblemResponse: retry-after', () => {
  it('is always a capped delay-seconds integer (property)', () => {
    const delay = fc.oneof(
      fc.double({ min: 0, noNaN: true }),
      fc.constantFrom(1e22, Number.MAX_VALUE, Number.POSITIVE_INFINITY, 0.2, 999),
    );
    fc.assert(
      fc.property(delay, (retryAfterMs) => {
        const { headers, body } = toProblemResponse(new RateLimitedError('x', { retryAfterMs }));
        const header = headers['retry-after'];
        expect(header).toMatch(/^\d+$/);
        expect(Number(header)).toBeLessThanOrEqual(86_400);
        expect(Number(header)).toBeGreaterThanOrEqual(
          Math.min(Math.ceil(retryAfterMs / 1000), 86_400),
        );
        expect(Number.isSafeInteger(JSON.parse(body).retryAfterMs)).toBe(true);
      }),
    );
  });
});

describe('wrapErrors: hostile thenables', () => {
  it('rejects with the mapped error, never a raw one (property)', async () => {
    await fc.assert(
      fc.asyncProperty(hostileReturnValues(), async ({ make, outcome }) => {
        fc.pre(outcome !== 'never');
        const wrapped = wrapErrors(() => make(), UnavailableError);
        let rejection: unknown;
        try {
          await wrapped();
        } catch (error) {
          rejection = error;
        }
        if (outcome === 'resolve') {
          expect(rejection).toBeUndefined();
        } else {
          expect(rejection).toBeInstanceOf(UnavailableError);
          expect((rejection as UnavailableError).cause).toBeInstanceOf(TypeError);
        }
      }),
    );
  });

  it('keeps ValidationError and friends as they are', async () => {
    const error = new ValidationError('bad');
    await expect(wrapErrors(async () => Promise.reject(error), InternalError)()).rejects.toBe(
      error,
    );
  });
});

describe('toProblem never fails', () => {
  it('projects errors with arbitrary details (property)', () => {
    fc.assert(
      fc.property(fc.anything(), (details) => {
        const problem = toProblem(new ConflictError('c', { details: details as JsonObject }));
        expect(problem.status).toBe(409);
      }),
    );
  });
});
