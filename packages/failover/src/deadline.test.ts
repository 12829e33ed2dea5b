import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import { dead, healthy, type ReceivedCall, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function deadlineIn(ms: number): AbortSignal {
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error(`deadline of ${ms} ms`)), ms);
  return controller.signal;
}

describe('one caller signal bounds the whole call', () => {
  it('rejects at the deadline with its reason and aborts the provider in flight', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'deadline',
      providers: [healthy('slow', 5_000, calls), healthy('b', 5, calls)],
    });
    const answer = track(failover.execute('x', { signal: deadlineIn(300) }));
    await vi.advanceTimersByTimeAsync(299);
    expect(answer.settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect((answer.error as Error).message).toBe('deadline of 300 ms');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.aborted).toBe(true);
    await failover.dispose();
  });

  it('starts no provider, hedge or fallback after the deadline', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'deadline-hedge',
      hedge: { delayMs: 100 },
      providers: [dead('a', 90, calls), healthy('b', 5_000, calls), healthy('c', 5, calls)],
    });
    const startedAt = Date.now();
    const answer = track(failover.execute('x', { signal: deadlineIn(150) }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(answer.rejected).toBe(true);
    expect(calls.map((call) => call.provider)).toEqual(['a', 'b']);
    expect(calls.every((call) => call.at - startedAt < 150)).toBe(true);
    expect(calls[1]?.aborted).toBe(true);
    await failover.dispose();
  });

  it('rejects at once, calling nothing, with an already aborted signal', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({ name: 'aborted', providers: [healthy('a', 1, calls)] });
    const reason = new Error('gone');
    await expect(failover.execute('x', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    expect(calls).toEqual([]);
    await failover.dispose();
  });

  it('bounds the last resort too', async () => {
    const failover = createFailover({
      name: 'slow-resort',
      providers: [dead('a', 1)],
      lastResort: () => new Promise<string>(() => {}),
    });
    const answer = track(failover.execute('x', { signal: deadlineIn(50) }));
    await vi.advanceTimersByTimeAsync(50);
    expect((answer.error as Error).message).toBe('deadline of 50 ms');
    await failover.dispose();
  });

  it('validates the options of execute', async () => {
    const failover = createFailover({ name: 'validate', providers: [healthy('a', 1)] });
    await expect(failover.execute('x', { signal: 'soon' as never })).rejects.toMatchObject({
      code: 'E_VALIDATION',
      message: expect.stringContaining('`options.signal` must be an AbortSignal'),
    });
    await expect(failover.execute('x', 5 as never)).rejects.toMatchObject({
      code: 'E_VALIDATION',
    });
    await failover.dispose();
  });
});
