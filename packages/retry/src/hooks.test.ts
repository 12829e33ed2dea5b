import { ConfigurationError, RateLimitedError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { failing, times, track } from './internal/test-support.ts';
import { isRetryable } from './is-retryable.ts';
import { createRetryPolicy } from './retry-policy.ts';
import type { RetryContext } from './types.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('shouldRetry and onRetry', () => {
  it('tell each hook the attempt, retries left, delay, error and elapsed time', async () => {
    const errors = [new Error('one'), new Error('two')];
    const { fn } = failing(errors, 'ok');
    const decisions: [unknown, RetryContext][] = [];
    const retries: RetryContext[] = [];
    const policy = createRetryPolicy({
      retries: 3,
      backoff: (attempt) => attempt * 100,
      shouldRetry: (error, context) => {
        decisions.push([error, context]);
        return true;
      },
      onRetry: (context) => retries.push(context),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(300);
    expect(call.value).toBe('ok');
    const expected = [
      { attempt: 1, retriesLeft: 3, delayMs: 100, error: errors[0], elapsedMs: 0 },
      { attempt: 2, retriesLeft: 2, delayMs: 200, error: errors[1], elapsedMs: 100 },
    ];
    expect(decisions).toEqual([
      [errors[0], expected[0]],
      [errors[1], expected[1]],
    ]);
    expect(retries).toEqual(expected);
  });

  it('onRetry is called before the wait', async () => {
    const onRetry = vi.fn();
    const { fn } = failing([new Error('x')], 'ok');
    track(
      createRetryPolicy({ backoff: backoff.constant({ delayMs: 1_000 }), onRetry }).execute(fn),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(onRetry).toHaveBeenCalledTimes(1);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('shouldRetry replaces the default classifier', async () => {
    const deadlock = Object.assign(new Error('deadlock detected'), { code: '40P01' });
    const { fn } = failing([deadlock], 'ok');
    expect(isRetryable(deadlock)).toBe(false);
    const policy = createRetryPolicy({
      backoff: backoff.constant({ delayMs: 0 }),
      shouldRetry: (error) => isRetryable(error) || (error as { code?: unknown }).code === '40P01',
    });
    await expect(policy.execute(fn)).resolves.toBe('ok');
  });

  it('shouldRetry may answer asynchronously', async () => {
    const error = new Error('x');
    const { fn } = failing(times(3, error), 'ok');
    const shouldRetry = vi.fn(async (_: unknown, context: RetryContext) => context.attempt < 2);
    const policy = createRetryPolicy({ backoff: backoff.constant({ delayMs: 0 }), shouldRetry });
    await expect(policy.execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(2);
  });

  it('is not asked about the last attempt: there is no retry left to decide', async () => {
    const shouldRetry = vi.fn(() => true);
    const { fn } = failing(times(5, new Error('x')), 'never');
    const policy = createRetryPolicy({
      retries: 2,
      backoff: backoff.constant({ delayMs: 0 }),
      shouldRetry,
    });
    await expect(policy.execute(fn)).rejects.toThrow('x');
    expect(shouldRetry).toHaveBeenCalledTimes(2);
  });

  it('a throwing shouldRetry rejects the call with its error', async () => {
    const hookError = new Error('bug in hook');
    const { fn } = failing([new Error('x')], 'ok');
    const policy = createRetryPolicy({
      shouldRetry: () => {
        throw hookError;
      },
    });
    await expect(policy.execute(fn)).rejects.toBe(hookError);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('a throwing onRetry rejects the call with its error', async () => {
    const hookError = new Error('bug in hook');
    const { fn } = failing([new Error('x')], 'ok');
    const policy = createRetryPolicy({
      onRetry: () => {
        throw hookError;
      },
    });
    await expect(policy.execute(fn)).rejects.toBe(hookError);
  });
});

describe('custom backoff', () => {
  it('gets the retry number and the previous delay', async () => {
    const calls: [number, number][] = [];
    const { fn } = failing(times(3, new Error('x')), 'ok');
    const policy = createRetryPolicy({
      backoff: (attempt, previousDelayMs) => {
        calls.push([attempt, previousDelayMs]);
        return previousDelayMs + 10;
      },
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(60);
    expect(call.value).toBe('ok');
    expect(calls).toEqual([
      [1, 0],
      [2, 10],
      [3, 20],
    ]);
  });

  it('sees a hinted delay as the previous delay', async () => {
    const calls: number[] = [];
    const { fn } = failing(
      [new RateLimitedError('slow', { retryAfterMs: 700 }), new Error('x')],
      'ok',
    );
    const policy = createRetryPolicy({
      backoff: (_, previousDelayMs) => {
        calls.push(previousDelayMs);
        return 1;
      },
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(701);
    expect(call.value).toBe('ok');
    expect(calls).toEqual([700]);
  });

  it.each([Number.NaN, -1, Number.POSITIVE_INFINITY, '10'])(
    'returning %o rejects the call with a ConfigurationError',
    async (delay) => {
      const { fn } = failing([new Error('x')], 'ok');
      const policy = createRetryPolicy({ name: 'orders', backoff: () => delay as number });
      const promise = policy.execute(fn);
      await expect(promise).rejects.toThrow(ConfigurationError);
      await expect(promise).rejects.toThrow('orders: `backoff` must return a finite number');
    },
  );
});
