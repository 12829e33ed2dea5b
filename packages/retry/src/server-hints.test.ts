import { CircuitOpenError, RateLimitedError, UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { failing, times, track } from './internal/test-support.ts';
import { createRetryPolicy } from './retry-policy.ts';

beforeEach(() => {
  vi.useFakeTimers();
  vi.setSystemTime(Date.parse('2025-01-01T12:00:00Z'));
});

afterEach(() => {
  vi.useRealTimers();
});

/** Backoff that would wait 50 ms, so a hint is visible as a different wait. */
const policyOptions = { backoff: backoff.constant({ delayMs: 50 }) };

function httpError(status: number, headers: Record<string, string> | Headers): Error {
  return Object.assign(new Error(`HTTP ${status}`), { response: { status, headers } });
}

describe('server hints', () => {
  it.each([
    ['RateLimitedError', new RateLimitedError('slow down', { retryAfterMs: 2_500 })],
    ['UnavailableError', new UnavailableError('rebuilding', { retryAfterMs: 2_500 })],
  ])('waits the retryAfterMs of a %s instead of the backoff', async (_, error) => {
    const { fn, starts } = failing([error], 'ok');
    const call = track(createRetryPolicy(policyOptions).execute(fn));
    await vi.advanceTimersByTimeAsync(2_499);
    expect(call.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 2_500]);
  });

  it('waits the Retry-After seconds of an HTTP response', async () => {
    const { fn, starts } = failing([httpError(503, new Headers({ 'retry-after': '3' }))], 'ok');
    const call = track(createRetryPolicy(policyOptions).execute(fn));
    await vi.advanceTimersByTimeAsync(3_000);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 3_000]);
  });

  it('waits until the Retry-After HTTP date', async () => {
    const { fn, starts } = failing(
      [httpError(429, { 'retry-after': 'Wed, 01 Jan 2025 12:00:04 GMT' })],
      'ok',
    );
    const call = track(createRetryPolicy(policyOptions).execute(fn));
    await vi.advanceTimersByTimeAsync(4_000);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 4_000]);
  });

  it('retries at once for a Retry-After date in the past', async () => {
    const { fn, starts } = failing(
      [httpError(503, { 'retry-after': 'Tue, 31 Dec 2024 00:00:00 GMT' })],
      'ok',
    );
    await expect(createRetryPolicy(policyOptions).execute(fn)).resolves.toBe('ok');
    expect(starts).toEqual([0, 0]);
  });

  it('falls back to the backoff when the header cannot be read', async () => {
    const { fn, starts } = failing([httpError(503, { 'retry-after': 'whenever' })], 'ok');
    const call = track(createRetryPolicy(policyOptions).execute(fn));
    await vi.advanceTimersByTimeAsync(50);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 50]);
  });

  it('caps a hint at maxDelayMs', async () => {
    const error = new RateLimitedError('slow down', { retryAfterMs: 60_000 });
    const { fn, starts } = failing([error], 'ok');
    const call = track(createRetryPolicy({ ...policyOptions, maxDelayMs: 5_000 }).execute(fn));
    await vi.advanceTimersByTimeAsync(5_000);
    expect(call.value).toBe('ok');
    expect(starts).toEqual([0, 5_000]);
  });

  it('gives up at once when the hinted wait would end past the deadline', async () => {
    const error = new RateLimitedError('slow down', { retryAfterMs: 8_000 });
    const { fn } = failing([error], 'ok');
    const call = track(createRetryPolicy({ ...policyOptions, maxElapsedMs: 5_000 }).execute(fn));
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('does not retry a 4xx because it carries a Retry-After', async () => {
    const error = httpError(400, { 'retry-after': '1' });
    const { fn } = failing([error], 'ok');
    await expect(createRetryPolicy(policyOptions).execute(fn)).rejects.toBe(error);
  });
});

describe('CircuitOpenError', () => {
  it('is retried only after its retryAfterMs', async () => {
    const error = new CircuitOpenError('payments is open', { retryAfterMs: 3_000 });
    const { fn, starts } = failing([error], 'closed again');
    const call = track(createRetryPolicy(policyOptions).execute(fn));
    await vi.advanceTimersByTimeAsync(2_999);
    expect(fn).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(call.value).toBe('closed again');
    expect(starts).toEqual([0, 3_000]);
  });

  it('is not retried without a retryAfterMs', async () => {
    const error = new CircuitOpenError('payments is open');
    const { fn } = failing([error], 'never');
    await expect(createRetryPolicy(policyOptions).execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('is not retried when its retryAfterMs does not fit in the deadline', async () => {
    const error = new CircuitOpenError('payments is open', { retryAfterMs: 3_000 });
    const { fn } = failing([error], 'never');
    const policy = createRetryPolicy({ ...policyOptions, maxElapsedMs: 3_000 });
    await expect(policy.execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('is not retried earlier than asked: a retryAfterMs above maxDelayMs gives up', async () => {
    const error = new CircuitOpenError('payments is open', { retryAfterMs: 20_000 });
    const { fn } = failing([error], 'never');
    const policy = createRetryPolicy({ ...policyOptions, maxElapsedMs: 60_000 });
    await expect(policy.execute(fn)).rejects.toBe(error);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('keeps the retry count: an always-open circuit ends after `retries` retries', async () => {
    const error = new CircuitOpenError('open', { retryAfterMs: 100 });
    const { fn, starts } = failing(times(10, error), 'never');
    const call = track(createRetryPolicy({ retries: 2 }).execute(fn));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(call.error).toBe(error);
    expect(starts).toEqual([0, 100, 200]);
  });
});
