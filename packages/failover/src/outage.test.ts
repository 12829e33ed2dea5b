import { isRampartError, type UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import { ConnectionRefused } from './test-errors.ts';
import { dead, healthy, type ReceivedCall, simulated, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** The primary refuses connections (after 20 ms) during [outageFrom, outageUntil). */
function flakyPrimary(outageFrom: number, outageUntil: number, calls: ReceivedCall[]) {
  return simulated(
    'primary',
    () => {
      const now = Date.now();
      return now >= outageFrom && now < outageUntil
        ? { delayMs: 20, error: new ConnectionRefused('primary') }
        : { delayMs: 100 };
    },
    calls,
  );
}

describe('a dead primary with a single fallback', () => {
  it('is skipped once its circuit opens: requests cost the fallback alone, primary calls are bounded by probes', async () => {
    const start = Date.now();
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'single-primary',
      breaker: { volumeThreshold: 2, rollingWindowMs: 30_000, resetTimeoutMs: 10_000 },
      providers: [flakyPrimary(start, start + 60_000, calls), healthy('fallback', 1_000, calls)],
    });
    const latencies: number[] = [];
    for (let request = 0; request < 25; request++) {
      const sentAt = Date.now();
      const answer = track(failover.execute(String(request)));
      while (!answer.settled) await vi.advanceTimersByTimeAsync(10);
      expect(answer.rejected).toBe(false);
      latencies.push(Date.now() - sentAt);
      await vi.advanceTimersByTimeAsync(4_000 - (Date.now() - sentAt));
    }
    const primaryDuringOutage = calls.filter(
      (call) => call.provider === 'primary' && call.at < start + 60_000,
    );
    // Two failures open the circuit; after that, only trial calls every 10 s, 20 s, 40 s.
    expect(primaryDuringOutage.length).toBeLessThanOrEqual(2 + 3);
    const afterOpen = latencies.slice(2, 15);
    const probes = primaryDuringOutage.length - 2;
    const fallbackOnly = afterOpen.filter((latency) => latency <= 1_010);
    expect(fallbackOnly.length).toBeGreaterThanOrEqual(afterOpen.length - probes);
    // The primary serves again once a trial call succeeds after the outage.
    expect(calls.at(-1)?.provider).toBe('primary');
    await failover.dispose();
  });
});

describe('the failure-counting window', () => {
  it.each([
    [5_000, false],
    [30_000, true],
  ])(
    'with rollingWindowMs %i, failures 6 s apart open the circuit: %s',
    async (windowMs, opens) => {
      const failover = createFailover({
        name: 'window',
        breaker: {
          volumeThreshold: 3,
          rollingWindowMs: windowMs,
          rollingWindowBuckets: 5,
          resetTimeoutMs: 60_000,
        },
        providers: [dead('primary', 1), healthy('fallback', 1)],
      });
      for (let request = 0; request < 4; request++) {
        const answer = failover.execute(String(request));
        await vi.advanceTimersByTimeAsync(6_000);
        await answer;
      }
      expect(failover.state().providers[0]?.circuit).toBe(opens ? 'open' : 'closed');
      await failover.dispose();
    },
  );
});

describe('a provider failing later in the chain', () => {
  it('is counted by its own breaker and skipped once open, like the first', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'chain',
      breaker: { volumeThreshold: 2, resetTimeoutMs: 30_000 },
      providers: [dead('a', 1, calls), dead('b', 1, calls), healthy('c', 1, calls)],
    });
    for (let request = 0; request < 6; request++) {
      const answer = failover.execute(String(request));
      await vi.advanceTimersByTimeAsync(10);
      await expect(answer).resolves.toBe(`c:${request}`);
    }
    expect(calls.filter((call) => call.provider === 'b')).toHaveLength(2);
    const [a, b] = failover.state().providers;
    expect([a?.circuit, b?.circuit]).toEqual(['open', 'open']);
    await failover.dispose();
  });
});

describe('when every provider is cooling down', () => {
  it('uses the last resort, and state() shows why', async () => {
    const failover = createFailover({
      name: 'all-cooling',
      breaker: { volumeThreshold: 1, resetTimeoutMs: 15_000 },
      providers: [dead('a', 1), dead('b', 1)],
      lastResort: ({ input }) => `stale:${input}`,
    });
    const first = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(5);
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(0);
    expect([first.value, second.value]).toEqual(['stale:1', 'stale:2']);
    const state = failover.state();
    expect(state.providers.map((provider) => provider.availability)).toEqual(['open', 'open']);
    expect(state.providers[0]?.retryAfterMs).toBeGreaterThan(0);
    await failover.dispose();
  });

  it('without a last resort rejects with E_UNAVAILABLE saying when to come back', async () => {
    const failover = createFailover({
      name: 'all-cooling-error',
      breaker: { volumeThreshold: 1, resetTimeoutMs: 15_000 },
      providers: [dead('a', 1), dead('b', 1)],
    });
    const first = track(failover.execute('1'));
    await vi.advanceTimersByTimeAsync(5);
    expect(first.rejected).toBe(true);
    const second = track(failover.execute('2'));
    await vi.advanceTimersByTimeAsync(0);
    expect(isRampartError(second.error, 'E_UNAVAILABLE')).toBe(true);
    expect((second.error as UnavailableError).retryAfterMs).toBeGreaterThan(14_000);
    await failover.dispose();
  });
});
