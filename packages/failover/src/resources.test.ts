import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import { dead, healthy, type ReceivedCall, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('resources', () => {
  it.each([
    ['the first provider answering', false, false],
    ['a fallback answering', true, false],
    ['hedging', false, true],
  ])(
    'leaves no listener on a long-lived caller signal and no timer: %s',
    async (_name, firstDead, hedge) => {
      const controller = new AbortController();
      const failover = createFailover({
        name: 'resources',
        breaker: { volumeThreshold: 1_000, timeoutMs: 5_000 },
        providers: [firstDead ? dead('a', 1) : healthy('a', 30), healthy('b', 5)],
        ...(hedge ? { hedge: { delayMs: 10 } } : {}),
      });
      for (let index = 0; index < 100; index++) {
        const answer = track(failover.execute(String(index), { signal: controller.signal }));
        await vi.advanceTimersByTimeAsync(40);
        expect(answer.settled).toBe(true);
      }
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
      expect(vi.getTimerCount()).toBe(0);
      await failover.dispose();
    },
  );

  it("moves on when a provider's breaker refuses the call (at capacity) without counting a failure", async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'capacity',
      providers: [
        { ...healthy('a', 100, calls), breaker: { capacity: 1 } },
        healthy('b', 5, calls),
      ],
    });
    const first = track(failover.execute('1'));
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(100);
    expect([first.value, second.value]).toEqual(['a:1', 'b:2']);
    expect(calls.map((call) => call.provider)).toEqual(['a', 'b']);
    expect(failover.state().providers[0]).toMatchObject({ calls: 2, failures: 0 });
    await failover.dispose();
  });
});
