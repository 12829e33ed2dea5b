import {
  ConflictError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
} from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, isDependencyFailure } from './index.ts';
import { manualClock } from './test-support.ts';

const throwing = async (error: unknown, _signal: AbortSignal): Promise<never> => {
  throw error;
};

describe('isDependencyFailure', () => {
  it('treats non-retryable Rampart errors below 500 as answers', () => {
    expect(isDependencyFailure(new ValidationError('bad input'))).toBe(false);
    expect(isDependencyFailure(new NotFoundError('no such user'))).toBe(false);
    expect(isDependencyFailure(new ConflictError('version mismatch'))).toBe(false);
  });

  it('treats retryable, 5xx and foreign errors as failures', () => {
    expect(isDependencyFailure(new RateLimitedError('slow down'))).toBe(true);
    expect(isDependencyFailure(new UnavailableError('down'))).toBe(true);
    expect(isDependencyFailure(new InternalError('bug'))).toBe(true);
    expect(isDependencyFailure(new Error('ECONNRESET'))).toBe(true);
    expect(isDependencyFailure('a string')).toBe(true);
    expect(isDependencyFailure(undefined)).toBe(true);
  });

  it('honours a per-instance retryable override', () => {
    expect(isDependencyFailure(new NotFoundError('not yet', { retryable: true }))).toBe(true);
  });
});

describe('failure accounting', () => {
  it('never opens on bad input or not found, and counts them as healthy answers', async () => {
    const breaker = createCircuitBreaker(throwing, {
      name: 'answers',
      clock: manualClock(),
      volumeThreshold: 1,
    });
    for (let index = 0; index < 20; index++) {
      await breaker.execute(new NotFoundError('missing')).catch(() => undefined);
    }
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ ignored: 20, failures: 0, failureRate: 0, calls: 20 });
  });

  it('rejects with the function’s own error, whether counted or not', async () => {
    const breaker = createCircuitBreaker(throwing, { name: 'passthrough', clock: manualClock() });
    const notFound = new NotFoundError('missing');
    const broken = new Error('broken pipe');
    await expect(breaker.execute(notFound)).rejects.toBe(notFound);
    await expect(breaker.execute(broken)).rejects.toBe(broken);
  });

  it('uses isFailure when given, and counts a throwing classifier as a failure', async () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker(throwing, {
      name: 'custom',
      clock,
      volumeThreshold: 100,
      isFailure: (error) => {
        if (error === 'explode') throw new Error('classifier bug');
        return error !== 'fine';
      },
    });
    await breaker.execute('fine').catch(() => undefined);
    await breaker.execute('bad').catch(() => undefined);
    await breaker.execute('explode').catch(() => undefined);
    expect(breaker.stats()).toMatchObject({ ignored: 1, failures: 2 });
  });

  it('opens exactly when failures reach the threshold share of at least volumeThreshold calls', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 100 }),
        async (outcomes, volumeThreshold, errorThresholdPercentage) => {
          const breaker = createCircuitBreaker(throwing, {
            name: 'property',
            clock: manualClock(),
            volumeThreshold,
            errorThresholdPercentage,
          });
          let failures = 0;
          let calls = 0;
          let shouldBeOpen = false;
          for (const failed of outcomes) {
            if (shouldBeOpen) break;
            calls++;
            if (failed) failures++;
            await breaker
              .execute(failed ? new Error('x') : new NotFoundError('y'))
              .catch(() => undefined);
            shouldBeOpen =
              failed &&
              calls >= volumeThreshold &&
              failures * 100 >= errorThresholdPercentage * calls;
            expect(breaker.state).toBe(shouldBeOpen ? 'open' : 'closed');
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('fallback', () => {
  it('answers for failures, timeouts and rejections, with the error and the arguments', async () => {
    const seen: { code: string | undefined; args: readonly unknown[] }[] = [];
    const breaker = createCircuitBreaker(throwing, {
      name: 'with-fallback',
      clock: manualClock(),
      volumeThreshold: 1,
      fallback: ({ error, args }) => {
        seen.push({ code: (error as { code?: string }).code, args });
        return 'cached' as never;
      },
    });
    const failure = new Error('down');
    await expect(breaker.execute(failure)).resolves.toBe('cached');
    await expect(breaker.execute(failure)).resolves.toBe('cached'); // now open
    expect(seen).toEqual([
      { code: undefined, args: [failure] },
      { code: 'E_CIRCUIT_OPEN', args: [failure] },
    ]);
  });

  it('is not used for answers (errors that are not failures)', async () => {
    let used = false;
    const breaker = createCircuitBreaker(throwing, {
      name: 'no-fallback-for-answers',
      clock: manualClock(),
      fallback: () => {
        used = true;
        return 'cached' as never;
      },
    });
    await expect(breaker.execute(new NotFoundError('missing'))).rejects.toBeInstanceOf(
      NotFoundError,
    );
    expect(used).toBe(false);
  });

  it('rejects with the fallback’s own error when it throws', async () => {
    const breaker = createCircuitBreaker(throwing, {
      name: 'failing-fallback',
      clock: manualClock(),
      fallback: () => {
        throw new Error('no cache either');
      },
    });
    await expect(breaker.execute(new Error('down'))).rejects.toThrow('no cache either');
  });
});
