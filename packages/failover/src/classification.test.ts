import {
  CircuitOpenError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { classifyFailoverError } from './classify.ts';
import { createFailover } from './failover.ts';
import { HttpError } from './test-errors.ts';
import { healthy, type ReceivedCall, simulated, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('classifyFailoverError', () => {
  it('moves on for retryable and 5xx Rampart errors and for 401/403', () => {
    for (const error of [
      new TimeoutError(),
      new RateLimitedError(),
      new CircuitOpenError(),
      new UnavailableError(),
      new InternalError(),
      new UnauthorizedError(),
      new ForbiddenError(),
    ]) {
      expect(classifyFailoverError(error)).toBe('next');
    }
  });

  it('stops for errors that say the input is wrong', () => {
    for (const error of [new ValidationError(), new NotFoundError(), new ConflictError()]) {
      expect(classifyFailoverError(error)).toBe('stop');
    }
  });

  it('reads the HTTP status of foreign errors: 400, 404, 409, 413 and 422 stop', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 599 }), fc.boolean(), (status, asStatusCode) => {
        const error = asStatusCode
          ? Object.assign(new Error('http'), { statusCode: status })
          : Object.assign(new Error('http'), { status });
        const expected = [400, 404, 409, 413, 422].includes(status) ? 'stop' : 'next';
        expect(classifyFailoverError(error)).toBe(expected);
      }),
    );
  });

  it('moves on for anything else, including hostile values, without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const decision = classifyFailoverError(value);
        expect(['next', 'stop']).toContain(decision);
      }),
    );
    const hostile = {
      get status(): never {
        throw new Error('boom');
      },
    };
    expect(classifyFailoverError(hostile)).toBe('next');
  });
});

describe('classification during a call', () => {
  it('rejects at once with a validation error, without trying another provider', async () => {
    const calls: ReceivedCall[] = [];
    const invalid = new ValidationError('prompt too long');
    const failover = createFailover({
      name: 'stop',
      providers: [
        simulated('a', () => ({ delayMs: 1, error: invalid }), calls),
        healthy('b', 1, calls),
      ],
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(5);
    expect(answer.error).toBe(invalid);
    expect(calls.map((call) => call.provider)).toEqual(['a']);
    await failover.dispose();
  });

  it('lets a custom classify decide, and moves on when classify throws', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'custom',
      classify: (error) => {
        if ((error as Error).message === 'explode') throw new Error('classifier bug');
        return (error as Error).message === 'refused' ? 'stop' : 'next';
      },
      providers: [
        simulated('a', (input) => ({ delayMs: 1, error: new Error(input) }), calls),
        healthy('b', 1, calls),
      ],
    });
    const refused = track(failover.execute('refused'));
    await vi.advanceTimersByTimeAsync(5);
    expect((refused.error as Error).message).toBe('refused');
    const exploded = track(failover.execute('explode'));
    await vi.advanceTimersByTimeAsync(5);
    expect(exploded.value).toBe('b:explode');
    await failover.dispose();
  });

  it('cools a provider down for at least the retryAfterMs of its 429', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 10, max: 60_000 }),
        fc.boolean(),
        async (waitMs, rampart) => {
          const calls: ReceivedCall[] = [];
          let limited = true;
          const failover = createFailover({
            name: 'cooldown',
            providers: [
              simulated(
                'a',
                () =>
                  limited
                    ? {
                        delayMs: 1,
                        error: rampart
                          ? new RateLimitedError('slow down', { retryAfterMs: waitMs })
                          : new HttpError(429, waitMs),
                      }
                    : { delayMs: 1 },
                calls,
              ),
              healthy('b', 1, calls),
            ],
          });
          const first = track(failover.execute('1'));
          await vi.advanceTimersByTimeAsync(2);
          expect(first.value).toBe('b:1');
          limited = false;
          expect(failover.state().providers[0]?.availability).toBe('cooling');
          expect(failover.state().providers[0]?.retryAfterMs).toBeLessThanOrEqual(waitMs);
          // Just before the cool-down ends, `a` is still skipped.
          await vi.advanceTimersByTimeAsync(waitMs - 4);
          calls.length = 0;
          const during = track(failover.execute('2'));
          await vi.advanceTimersByTimeAsync(1);
          expect(during.value).toBe('b:2');
          expect(calls.map((call) => call.provider)).toEqual(['b']);
          await vi.advanceTimersByTimeAsync(3);
          const after = track(failover.execute('3'));
          await vi.advanceTimersByTimeAsync(1);
          expect(after.value).toBe('a:3');
          await failover.dispose();
        },
      ),
      { numRuns: 25 },
    );
  });
});
