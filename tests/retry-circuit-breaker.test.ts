/**
 * @rampart/retry composed with @rampart/circuit-breaker: the retry outside, the breaker inside.
 * Imported by path: tests/package.json does not list these packages yet.
 */
import { CircuitOpenError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from '../packages/circuit-breaker/src/index.ts';
import { backoff, createRetryPolicy } from '../packages/retry/src/index.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function dependency() {
  let healthy = false;
  const calls: number[] = [];
  const startedAt = Date.now();
  const fn = vi.fn(async (_signal: AbortSignal) => {
    calls.push(Date.now() - startedAt);
    if (!healthy) throw new Error('dependency down');
    return 'answer';
  });
  return {
    fn,
    calls,
    heal() {
      healthy = true;
    },
  };
}

describe('retry around a circuit breaker', () => {
  it("waits for the breaker's retryAfterMs and succeeds on its trial call", async () => {
    const upstream = dependency();
    const breaker = createCircuitBreaker(upstream.fn, {
      name: 'users',
      volumeThreshold: 2,
      errorThresholdPercentage: 50,
      resetTimeoutMs: 2_000,
    });
    const policy = createRetryPolicy({
      name: 'users',
      retries: 5,
      backoff: backoff.constant({ delayMs: 10 }),
    });
    const result = policy.execute(({ signal }) => breaker.executeWith({ signal }));
    result.catch(() => undefined);
    // two failures open the circuit; the next attempt is rejected by the breaker itself
    await vi.advanceTimersByTimeAsync(20);
    expect(upstream.calls).toEqual([0, 10]);
    upstream.heal();
    await vi.advanceTimersByTimeAsync(2_000);
    await expect(result).resolves.toBe('answer');
    // no attempt reached the dependency while the circuit was open
    expect(upstream.calls).toHaveLength(3);
    expect(upstream.calls[2]).toBeGreaterThanOrEqual(2_010);
    await breaker.dispose();
  });

  it('fails fast when the breaker will not admit a call before the deadline', async () => {
    const upstream = dependency();
    const breaker = createCircuitBreaker(upstream.fn, {
      name: 'users',
      volumeThreshold: 1,
      resetTimeoutMs: 30_000,
    });
    await breaker.execute().catch(() => undefined); // opens the circuit
    const policy = createRetryPolicy({ name: 'users', maxElapsedMs: 5_000 });
    const started = Date.now();
    const error = await policy
      .execute(({ signal }) => breaker.executeWith({ signal }))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(Date.now() - started).toBe(0);
    expect(upstream.fn).toHaveBeenCalledTimes(1);
    await breaker.dispose();
  });
});
