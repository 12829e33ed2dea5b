import { isRampartError, UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import type { LastResortContext } from './options.ts';
import { dead, healthy, type ReceivedCall, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const breaker = { volumeThreshold: 1, resetTimeoutMs: 30_000, timeoutMs: false } as const;

describe('when no provider can answer', () => {
  it('rejects with E_UNAVAILABLE whose retryAfterMs is the soonest retry and details list each provider', async () => {
    const failover = createFailover({
      name: 'llm',
      breaker,
      providers: [{ ...dead('a', 1), breaker: { resetTimeoutMs: 20_000 } }, dead('b', 1)],
    });
    const opening = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(5);
    expect(isRampartError(opening.error, 'E_UNAVAILABLE')).toBe(true);
    expect((opening.error as UnavailableError).details).toMatchObject({ reason: 'all-failed' });
    await vi.advanceTimersByTimeAsync(5_000);
    const closed = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(0);
    const error = closed.error as UnavailableError;
    expect(error).toBeInstanceOf(UnavailableError);
    expect(error.status).toBe(503);
    expect(error.retryAfterMs).toBeGreaterThan(14_000);
    expect(error.retryAfterMs).toBeLessThanOrEqual(15_000);
    expect(error.details).toEqual({
      failover: 'llm',
      reason: 'all-unavailable',
      providers: [
        { name: 'a', availability: 'open', circuit: 'open', retryAfterMs: error.retryAfterMs },
        {
          name: 'b',
          availability: 'open',
          circuit: 'open',
          retryAfterMs: expect.any(Number),
        },
      ],
    });
    await failover.dispose();
  });

  it('keeps the last provider error as the cause', async () => {
    const failover = createFailover({ name: 'cause', providers: [dead('a', 1), dead('b', 1)] });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(5);
    expect(((answer.error as Error).cause as Error).message).toContain('ECONNREFUSED b');
    await failover.dispose();
  });

  it('answers with the last resort when every provider is open, without calling any', async () => {
    const calls: ReceivedCall[] = [];
    const contexts: LastResortContext<string>[] = [];
    const failover = createFailover({
      name: 'stale',
      breaker,
      providers: [dead('a', 1, calls), dead('b', 1, calls)],
      lastResort: (context) => {
        contexts.push(context);
        return `cached:${context.input}`;
      },
    });
    const first = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(5);
    expect(first.value).toBe('cached:1');
    calls.length = 0;
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(second.value).toBe('cached:2');
    expect(calls).toEqual([]);
    expect(contexts.map((context) => context.reason)).toEqual(['all-failed', 'all-unavailable']);
    expect(isRampartError(contexts[1]?.error, 'E_UNAVAILABLE')).toBe(true);
    await failover.dispose();
  });

  it('answers with the last resort when the retry budget is spent', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'budget',
      retryBudget: { recordCall() {}, tryRetry: () => false, available: () => 0 },
      providers: [dead('a', 1, calls), healthy('b', 1, calls)],
      lastResort: ({ reason }) => `degraded (${reason})`,
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(5);
    expect(answer.value).toBe('degraded (budget-exhausted)');
    expect(calls.map((call) => call.provider)).toEqual(['a']);
    await failover.dispose();
  });

  it('rejects with the error of a last resort that throws', async () => {
    const failure = new Error('cache down too');
    const failover = createFailover({
      name: 'throws',
      providers: [dead('a', 1)],
      lastResort: () => Promise.reject(failure),
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(5);
    expect(answer.error).toBe(failure);
    await failover.dispose();
  });
});
