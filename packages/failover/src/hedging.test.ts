import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type FailoverHedgeEvent, failoverChannels } from './events.ts';
import { createFailover } from './failover.ts';
import { healthy, type ReceivedCall, simulated, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('hedging', () => {
  it('is off by default: a slow provider is waited for', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'no-hedge',
      providers: [healthy('slow', 2_000, calls), healthy('fast', 10, calls)],
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(2_000);
    expect(answer.value).toBe('slow:x');
    expect(calls.map((call) => call.provider)).toEqual(['slow']);
    await failover.dispose();
  });

  it('starts the next provider after delayMs; the first answer wins and the loser is aborted', async () => {
    const calls: ReceivedCall[] = [];
    const hedges: FailoverHedgeEvent[] = [];
    const listener = (message: unknown): void => {
      hedges.push(message as FailoverHedgeEvent);
    };
    subscribe(failoverChannels.hedge, listener);
    const failover = createFailover({
      name: 'hedge',
      hedge: { delayMs: 100 },
      providers: [healthy('slow', 2_000, calls), healthy('fast', 10, calls)],
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(99);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(10);
    expect(answer.value).toBe('fast:x');
    expect(calls[0]).toMatchObject({ provider: 'slow', aborted: true, ended: true });
    expect(hedges).toEqual([
      { name: 'hedge', waitingOn: 'slow', provider: 'fast', delayMs: 100, hedge: 1 },
    ]);
    unsubscribe(failoverChannels.hedge, listener);
    await failover.dispose();
  });

  it('bounds hedges by maxHedges and aborts every loser', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'max-hedges',
      hedge: { delayMs: 50, maxHedges: 2 },
      providers: [
        healthy('a', 1_000, calls),
        healthy('b', 1_000, calls),
        healthy('c', 120, calls),
        healthy('d', 1, calls),
      ],
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls.map((call) => call.provider)).toEqual(['a', 'b', 'c']);
    expect(answer.value).toBe('c:x');
    expect(calls.filter((call) => call.aborted).map((call) => call.provider)).toEqual(['a', 'b']);
    await failover.dispose();
  });

  it('hedges draw on the retry budget: none starts when it is spent', async () => {
    const calls: ReceivedCall[] = [];
    let tokens = 1;
    const failover = createFailover({
      name: 'hedge-budget',
      hedge: { delayMs: 50 },
      retryBudget: {
        recordCall() {},
        tryRetry: () => tokens-- > 0,
        available: () => Math.max(0, tokens),
      },
      providers: [healthy('slow', 500, calls), healthy('fast', 10, calls)],
    });
    const first = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(60);
    expect(first.value).toBe('fast:1');
    calls.length = 0;
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(500);
    expect(second.value).toBe('slow:2');
    expect(calls.map((call) => call.provider)).toEqual(['slow']);
    await failover.dispose();
  });

  it('waits the percentile of the provider once it has enough samples', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'p90',
      hedge: { delayMs: 'p90', minSamples: 10 },
      providers: [
        simulated(
          'primary',
          (_input, call) => ({ delayMs: call <= 10 ? 10 * call : 5_000 }),
          calls,
        ),
        healthy('secondary', 5, calls),
      ],
    });
    for (let index = 0; index < 10; index++) {
      const answer = failover.execute(String(index));
      await vi.advanceTimersByTimeAsync(100);
      await answer;
    }
    expect(calls.every((call) => call.provider === 'primary')).toBe(true);
    expect(failover.state().providers[0]?.latencyMs.p90).toBe(90);
    calls.length = 0;
    const answer = track(failover.execute('slow'));
    await vi.advanceTimersByTimeAsync(89);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(calls).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(5);
    expect(answer.value).toBe('secondary:slow');
    await failover.dispose();
  });

  it('moves on at once when the hedged provider fails before the delay', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'hedge-fail',
      hedge: { delayMs: 1_000 },
      providers: [
        simulated('a', () => ({ delayMs: 5, error: new Error('reset') }), calls),
        healthy('b', 5, calls),
      ],
    });
    const answer = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(10);
    expect(answer.value).toBe('b:x');
    await failover.dispose();
  });
});
