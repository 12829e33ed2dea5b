import { TimeoutError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { failing, times, track } from './internal/test-support.ts';
import { createRetryPolicy } from './retry-policy.ts';
import type { AttemptContext } from './types.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A function that never settles on its own but rejects when its signal aborts. */
function honoursSignal({ signal }: AttemptContext): Promise<never> {
  return new Promise((_, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

const slowConstant = backoff.constant({ delayMs: 1_000 });

describe('cancellation', () => {
  it('an abort during a wait cuts it short at once and rejects with the reason', async () => {
    const controller = new AbortController();
    const { fn } = failing(times(5, new Error('flaky')), 'never');
    const policy = createRetryPolicy({ backoff: slowConstant });
    const call = track(policy.execute(fn, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(300);
    const reason = new Error('client went away');
    controller.abort(reason);
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBe(reason);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('an abort during an attempt rejects at once, even when the function ignores its signal', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const fn = vi.fn(({ signal }: AttemptContext) => {
      seen = signal;
      return new Promise<string>(() => {});
    });
    const call = track(createRetryPolicy().execute(fn, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(50);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBe('stop');
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe('stop');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(fn).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('an abort during a later attempt stops p-retry too: no further attempt', async () => {
    const controller = new AbortController();
    const { fn } = failing([new Error('flaky')], 'never');
    const slow = vi.fn((context: AttemptContext) =>
      context.attempt === 1 ? fn(context) : honoursSignal(context),
    );
    const call = track(
      createRetryPolicy({ backoff: backoff.constant({ delayMs: 10 }) }).execute(slow, {
        signal: controller.signal,
      }),
    );
    await vi.advanceTimersByTimeAsync(20);
    expect(slow).toHaveBeenCalledTimes(2);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(5_000);
    expect(call.error).toBe('stop');
    expect(slow).toHaveBeenCalledTimes(2);
  });

  it('never calls the function when the signal is already aborted', async () => {
    const fn = vi.fn();
    const reason = new Error('already');
    await expect(
      createRetryPolicy().execute(fn, { signal: AbortSignal.abort(reason) }),
    ).rejects.toBe(reason);
    expect(fn).not.toHaveBeenCalled();
  });

  it('an abort wins over a later failure of the abandoned attempt', async () => {
    const controller = new AbortController();
    let rejectAttempt: (error: unknown) => void = () => {};
    const fn = () =>
      new Promise((_, reject) => {
        rejectAttempt = reject;
      });
    const call = track(createRetryPolicy().execute(fn, { signal: controller.signal }));
    controller.abort('stop');
    rejectAttempt(new Error('late failure'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.error).toBe('stop');
  });

  it('attemptTimeoutMs fails the attempt with a TimeoutError, aborts its signal and retries', async () => {
    const signals: AbortSignal[] = [];
    const fn = vi.fn((context: AttemptContext) => {
      signals.push(context.signal);
      return context.attempt < 3 ? new Promise<string>(() => {}) : Promise.resolve('third time');
    });
    const policy = createRetryPolicy({
      attemptTimeoutMs: 200,
      backoff: backoff.constant({ delayMs: 0 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(199);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(signals[0]?.reason).toBeInstanceOf(TimeoutError);
    expect(signals[0]?.reason.message).toBe('default: attempt 1 timed out after 200 ms');
    await vi.advanceTimersByTimeAsync(200);
    expect(call.value).toBe('third time');
    expect(signals[2]?.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects with the last TimeoutError when every attempt times out', async () => {
    const policy = createRetryPolicy({
      retries: 1,
      attemptTimeoutMs: 100,
      backoff: backoff.constant({ delayMs: 0 }),
    });
    const call = track(policy.execute(() => new Promise(() => {})));
    await vi.advanceTimersByTimeAsync(200);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect((call.error as Error).message).toBe('default: attempt 2 timed out after 100 ms');
  });
});

describe('deadline', () => {
  it('does not start an attempt whose delay would end at or past the deadline', async () => {
    const last = new Error('flaky');
    const { fn, starts } = failing(times(10, last), 'never');
    const policy = createRetryPolicy({
      retries: 10,
      maxElapsedMs: 1_000,
      backoff: backoff.constant({ delayMs: 500 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(500);
    // the third attempt would start exactly at the deadline: no time left for it
    expect(call.error).toBe(last);
    expect(starts).toEqual([0, 500]);
  });

  it('counts the time attempts take, not just the waits', async () => {
    const fn = vi.fn(
      () => new Promise<never>((_, reject) => setTimeout(() => reject(new Error('slow')), 300)),
    );
    const policy = createRetryPolicy({
      retries: 10,
      maxElapsedMs: 1_000,
      backoff: backoff.constant({ delayMs: 100 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(call.rejected).toBe(true);
    // attempts at 0, 400, 800 (ending at 300, 700, 1100); 1100 + 100 is past the deadline
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it("aborts the attempt's signal with a TimeoutError when the deadline passes", async () => {
    const policy = createRetryPolicy({ maxElapsedMs: 1_000 });
    const call = track(policy.execute(honoursSignal));
    await vi.advanceTimersByTimeAsync(999);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect((call.error as Error).message).toBe(
      'default: the deadline of 1000 ms passed during attempt 1',
    );
  });

  it('gives a later attempt only the time left before the deadline', async () => {
    const { fn: first } = failing([new Error('flaky')], 'never');
    const fn = vi.fn((context: AttemptContext) =>
      context.attempt === 1 ? first(context) : honoursSignal(context),
    );
    const policy = createRetryPolicy({
      maxElapsedMs: 1_000,
      backoff: backoff.constant({ delayMs: 600 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(999);
    expect(fn).toHaveBeenCalledTimes(2);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.error).toBeInstanceOf(TimeoutError);
  });

  it('stops waiting at the deadline through attemptTimeoutMs when that comes later', async () => {
    const policy = createRetryPolicy({
      maxElapsedMs: 1_000,
      attemptTimeoutMs: 800,
      backoff: backoff.constant({ delayMs: 300 }),
    });
    let attempts = 0;
    const call = track(
      policy.execute(() =>
        ++attempts === 1 ? Promise.reject(new Error('flaky')) : new Promise(() => {}),
      ),
    );
    // Attempt 2 starts at 300 ms; its own timeout (1100 ms) comes after the deadline.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(attempts).toBe(2);
    expect(call.error).toBeInstanceOf(TimeoutError);
    expect((call.error as Error).message).toContain('deadline of 1000 ms');
  });

  it('without a signal or attempt timeout, waits for a function that ignores the deadline', async () => {
    const policy = createRetryPolicy({ maxElapsedMs: 1_000 });
    const call = track(
      policy.execute(() => new Promise((resolve) => setTimeout(() => resolve('late'), 2_000))),
    );
    await vi.advanceTimersByTimeAsync(2_000);
    expect(call.value).toBe('late');
  });

  it('maxElapsedMs: false removes the deadline', async () => {
    const { fn, starts } = failing(times(4, new Error('flaky')), 'ok');
    const policy = createRetryPolicy({
      retries: 4,
      maxElapsedMs: false,
      maxDelayMs: 100_000,
      backoff: backoff.constant({ delayMs: 100_000 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(400_000);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 100_000, 200_000, 300_000, 400_000]);
  });

  it('a signal read after the attempt ended stays inert and starts no timer', async () => {
    let context: AttemptContext | undefined;
    await createRetryPolicy().execute((attempt) => {
      context = attempt;
      return 'done';
    });
    expect(context?.signal.aborted).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });
});
