import {
  ConfigurationError,
  MAX_TIMER_DELAY_MS,
  TimeoutError,
  ValidationError,
} from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { failing, times, track } from './internal/test-support.ts';
import { retry } from './retry.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('retry', () => {
  it('resolves with the result of the first successful attempt, without waiting', async () => {
    const { fn } = failing([], 'done');
    await expect(retry(fn)).resolves.toBe('done');
    expect(fn).toHaveBeenCalledTimes(1);
    expect(fn.mock.calls[0]?.[0]).toMatchObject({ attempt: 1 });
  });

  it('by default retries 3 times with full jitter from 100 ms, doubling', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const error = new Error('flaky');
    const { fn, starts } = failing(times(10, error), 'never');
    const call = track(retry(fn));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(call.error).toBe(error);
    expect(starts).toEqual([0, 100, 300, 700]);
  });

  it('draws each default delay from [0, ceiling]', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const { fn, starts } = failing(times(3, new Error('flaky')), 'ok');
    const call = track(retry(fn));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 0, 0, 0]);
  });

  it('passes each attempt its number', async () => {
    const { fn } = failing(times(2, new Error('flaky')), 'ok');
    const call = track(retry(fn, { backoff: backoff.constant({ delayMs: 10 }) }));
    await vi.advanceTimersByTimeAsync(20);
    expect(call.value).toBe('ok');
    expect(fn.mock.calls.map(([context]) => context.attempt)).toEqual([1, 2, 3]);
  });

  it('retries synchronous functions and resolves with their value', async () => {
    const { fn } = failing(times(2, new Error('flaky')), 42, { async: false });
    const call = track(retry(fn, { backoff: backoff.constant({ delayMs: 5 }) }));
    await vi.advanceTimersByTimeAsync(10);
    expect(call.value).toBe(42);
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('resolves a synchronous value as a promise', async () => {
    const promise = retry(() => 'sync');
    expect(promise).toBeInstanceOf(Promise);
    await expect(promise).resolves.toBe('sync');
  });

  it('accepts functions returning foreign thenables', async () => {
    let attempts = 0;
    const thenable = (fail: boolean) =>
      ({
        // biome-ignore lint/suspicious/noThenProperty: a foreign thenable is what this test is about
        then(resolve: (value: string) => void, reject: (error: unknown) => void) {
          if (fail) reject(new Error('flaky'));
          else resolve('from a thenable');
        },
      }) as PromiseLike<string>;
    const call = track(
      retry(() => thenable(++attempts < 2), { backoff: backoff.constant({ delayMs: 1 }) }),
    );
    await vi.advanceTimersByTimeAsync(1);
    expect(call.value).toBe('from a thenable');
  });

  it.each([
    ['an Error', new Error('last')],
    ['a string', 'last'],
    ['undefined', undefined],
    ['a plain object', { reason: 'last' }],
  ])('rejects with the last error unchanged when it is %s', async (_, last) => {
    const first = new Error('first');
    const { fn } = failing([first, first, last], 'never');
    const call = track(
      retry(fn, {
        retries: 2,
        backoff: backoff.constant({ delayMs: 1 }),
        shouldRetry: () => true,
      }),
    );
    await vi.advanceTimersByTimeAsync(5);
    expect(call.rejected).toBe(true);
    expect(call.error).toBe(last);
  });

  it('rejects with the thrown error itself, not a wrapper, for sync and async failures', async () => {
    const error = new TypeError('bug');
    await expect(retry(() => Promise.reject(error))).rejects.toBe(error);
    await expect(
      retry(() => {
        throw error;
      }),
    ).rejects.toBe(error);
  });

  it('retries a TypeError when shouldRetry says so (p-retry alone never would)', async () => {
    const { fn } = failing(times(2, new TypeError('cache.get is not a function')), 'ok');
    const call = track(
      retry(fn, { shouldRetry: () => true, backoff: backoff.constant({ delayMs: 1 }) }),
    );
    await vi.advanceTimersByTimeAsync(2);
    expect(call.value).toBe('ok');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('gives up at once on an error that is not retryable', async () => {
    const error = new ValidationError('bad input');
    const { fn } = failing([error], 'never');
    await expect(retry(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('makes a single attempt with retries: 0', async () => {
    const error = new Error('flaky');
    const { fn } = failing([error], 'never');
    await expect(retry(fn, { retries: 0 })).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('stops at the default 30 s deadline', async () => {
    const error = new Error('flaky');
    const { fn, starts } = failing(times(100, error), 'never');
    const call = track(retry(fn, { retries: 100, backoff: backoff.constant({ delayMs: 7_000 }) }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(call.error).toBe(error);
    expect(starts).toEqual([0, 7_000, 14_000, 21_000, 28_000]);
  });

  it('caps every delay at 10 s by default', async () => {
    const { fn, starts } = failing(times(2, new Error('flaky')), 'ok');
    const call = track(retry(fn, { backoff: backoff.constant({ delayMs: 60_000 }) }));
    await vi.advanceTimersByTimeAsync(20_000);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 10_000, 20_000]);
  });

  it('honours the signal in its options', async () => {
    const controller = new AbortController();
    const { fn } = failing(times(5, new Error('flaky')), 'never');
    const call = track(
      retry(fn, { signal: controller.signal, backoff: backoff.constant({ delayMs: 1_000 }) }),
    );
    await vi.advanceTimersByTimeAsync(500);
    controller.abort(new Error('cancelled'));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toEqual(new Error('cancelled'));
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('bounds attempts with attemptTimeoutMs', async () => {
    const call = track(retry(() => new Promise(() => {}), { retries: 0, attemptTimeoutMs: 250 }));
    await vi.advanceTimersByTimeAsync(249);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.error).toBeInstanceOf(TimeoutError);
  });

  it.each([
    [{ retries: -1 }, '`retries` must be a non-negative integer (got -1)'],
    [{ retries: Number.NaN }, '`retries` must be a non-negative integer (got NaN)'],
    [{ retries: 1.5 }, '`retries` must be a non-negative integer (got 1.5)'],
    [{ retries: '3' }, '`retries` must be a non-negative integer'],
    [
      { maxDelayMs: -1 },
      '`maxDelayMs` must be a whole number of milliseconds from 0 to 2147483647 (got -1)',
    ],
    [
      { maxElapsedMs: 0 },
      '`maxElapsedMs` must be a whole number of milliseconds from 1 to 2147483647, or false (got 0)',
    ],
    [
      { maxElapsedMs: true },
      '`maxElapsedMs` must be a whole number of milliseconds from 1 to 2147483647, or false',
    ],
    [{ attemptTimeoutMs: 2.5 }, '`attemptTimeoutMs` must be a whole number of milliseconds from 1'],
    [
      { attemptTimeoutMs: 40_000 },
      '`attemptTimeoutMs` must be at most `maxElapsedMs` (30000, its default)',
    ],
    [{ backoff: 'full' }, '`backoff` must be a function'],
    [{ shouldRetry: true }, '`shouldRetry` must be a function'],
    [{ onRetry: {} }, '`onRetry` must be a function'],
    [{ budget: true }, '`budget` must be a retry budget (createRetryBudget()) or false'],
    [{ name: '' }, '`name` must be a non-empty string'],
    [{ unref: 'yes' }, '`unref` must be a boolean'],
    [{ signal: {} }, '`signal` must be an AbortSignal'],
    [{ retry: 3 }, '`retry` is not a known option'],
  ])('rejects %o with a ConfigurationError naming the field', async (options, message) => {
    const fn = vi.fn();
    const promise = retry(fn, options as never);
    await expect(promise).rejects.toThrow(ConfigurationError);
    await expect(promise).rejects.toThrow(`retry: ${message}`);
    expect(fn).not.toHaveBeenCalled();
  });

  it('refuses an attempt timeout longer than the deadline, and any duration of 2^31 ms or more (property)', async () => {
    const duration = fc.integer({ min: 1, max: 2 ** 32 });
    await fc.assert(
      fc.asyncProperty(duration, duration, async (attemptTimeoutMs, maxElapsedMs) => {
        const promise = retry(() => 'ok', { attemptTimeoutMs, maxElapsedMs });
        const valid = attemptTimeoutMs <= maxElapsedMs && maxElapsedMs <= MAX_TIMER_DELAY_MS;
        if (valid) await expect(promise).resolves.toBe('ok');
        else await expect(promise).rejects.toBeInstanceOf(ConfigurationError);
      }),
    );
  });

  it('names every bad field at once', async () => {
    await expect(retry(() => 1, { retries: -1, maxDelayMs: 0.5 })).rejects.toMatchObject({
      issues: [
        expect.objectContaining({ path: 'retries' }),
        expect.objectContaining({ path: 'maxDelayMs' }),
      ],
    });
  });

  it('rejects a non-function with a ValidationError', async () => {
    await expect(retry('nope' as never)).rejects.toThrow(ValidationError);
    await expect(retry('nope' as never)).rejects.toThrow('retry: `fn` must be a function (got');
  });
});
