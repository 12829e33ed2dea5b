import { isRampartError, TimeoutError } from '@rampart/errors';
import { hostileReturnValues } from '@rampart/test-harness';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './index.ts';

describe('hostile return values', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('rejects or resolves, never throws, and releases its capacity slot (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileReturnValues(),
        fc.constantFrom(false as const, 1_000),
        fc.boolean(),
        async ({ make, outcome }, timeoutMs, withSignal) => {
          fc.pre(outcome !== 'never');
          let hostile = true;
          const breaker = createCircuitBreaker(
            (_signal: AbortSignal): unknown => {
              if (!hostile) return 'ok';
              hostile = false;
              return make();
            },
            { name: 'hostile', capacity: 1, timeoutMs, volumeThreshold: 1_000 },
          );
          let first: Promise<unknown> | undefined;
          const signal = withSignal ? new AbortController().signal : undefined;
          expect(() => {
            first = signal === undefined ? breaker.execute() : breaker.executeWith({ signal });
          }).not.toThrow();
          const settled = await first?.then(
            (value) => ({ value }),
            (error: unknown) => ({ error }),
          );
          if (outcome === 'reject') {
            expect(settled).toHaveProperty('error');
            expect(
              isRampartError((settled as { error: unknown }).error, 'E_CIRCUIT_CAPACITY'),
            ).toBe(false);
          } else {
            expect(settled).toHaveProperty('value');
          }
          expect(breaker.stats().inFlight).toBe(0);
          await expect(breaker.execute()).resolves.toBe('ok');
          await breaker.dispose();
        },
      ),
    );
  });

  it('times out a thenable that never calls back', async () => {
    const breaker = createCircuitBreaker(
      (_signal: AbortSignal): PromiseLike<never> =>
        Object.defineProperty({}, 'then', { value: () => undefined }) as PromiseLike<never>,
      { name: 'never', timeoutMs: 100 },
    );
    const call = breaker.execute().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(await call).toBeInstanceOf(TimeoutError);
    await breaker.dispose();
  });
});
