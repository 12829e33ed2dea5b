import { hostileReturnValues } from '@rampart/test-harness';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { retry } from './retry.ts';
import { createRetryPolicy } from './retry-policy.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('hostile return values', () => {
  it('never throws synchronously; a hostile failure is retried like any other (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileReturnValues(),
        fc.integer({ min: 1, max: 3 }),
        fc.constantFrom(false as const, 5_000),
        fc.boolean(),
        async ({ make, outcome }, hostileAttempts, attemptTimeoutMs, viaPolicy) => {
          fc.pre(outcome !== 'never');
          let attempts = 0;
          const fn = (): unknown => (++attempts <= hostileAttempts ? make() : 'ok');
          const options = {
            retries: 3,
            backoff: backoff.constant({ delayMs: 10 }),
            attemptTimeoutMs,
            shouldRetry: () => true,
          };
          let call: Promise<unknown> | undefined;
          expect(() => {
            call = viaPolicy ? createRetryPolicy(options).execute(fn) : retry(fn, options);
          }).not.toThrow();
          const settled = call?.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          await vi.advanceTimersByTimeAsync(100);
          const result = await settled;
          // A resolving hostile value succeeds at once; a rejecting one is retried until 'ok'.
          expect(result).toHaveProperty('value');
          if (outcome === 'reject') expect(result).toEqual({ value: 'ok' });
          expect(attempts).toBe(outcome === 'reject' ? hostileAttempts + 1 : 1);
        },
      ),
    );
  });
});
