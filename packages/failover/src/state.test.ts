import { UnavailableError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import { LatencyWindow } from './internal/latency-window.ts';
import { dead, healthy, type ReceivedCall, simulated, track } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('state()', () => {
  it('reports each provider: circuit, availability, latency percentiles, traffic share and counts', async () => {
    const failover = createFailover({
      name: 'state',
      breaker: { volumeThreshold: 2, resetTimeoutMs: 30_000 },
      providers: [dead('a', 1), simulated('b', (_input, call) => ({ delayMs: call * 10 }))],
    });
    for (let index = 0; index < 10; index++) {
      const answer = failover.execute(String(index));
      await vi.advanceTimersByTimeAsync(200);
      await answer;
    }
    const state = failover.state();
    expect(state.name).toBe('state');
    const [a, b] = state.providers;
    expect(a).toMatchObject({
      name: 'a',
      circuit: 'open',
      availability: 'open',
      calls: 2,
      failures: 2,
    });
    expect(a?.retryAfterMs).toBeGreaterThan(0);
    expect(b).toMatchObject({
      name: 'b',
      circuit: 'closed',
      availability: 'available',
      retryAfterMs: undefined,
      calls: 10,
      failures: 0,
      latencyMs: { p50: 50, p90: 90, p95: 100, p99: 100, samples: 10 },
    });
    expect(a?.trafficShare).toBeCloseTo(2 / 12);
    expect(b?.trafficShare).toBeCloseTo(10 / 12);
    await failover.dispose();
  });
});

describe('LatencyWindow', () => {
  it('reports nearest-rank percentiles of the last 128 samples', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 100_000 }), { minLength: 1, maxLength: 400 }),
        (samples) => {
          const window = new LatencyWindow();
          for (const sample of samples) window.record(sample);
          const kept = samples.slice(-128).sort((x, y) => x - y);
          const rank = (quantile: number): number =>
            kept[Math.max(1, Math.ceil(quantile * kept.length)) - 1] ?? 0;
          expect(window.percentiles()).toEqual({
            p50: rank(0.5),
            p90: rank(0.9),
            p95: rank(0.95),
            p99: rank(0.99),
            samples: kept.length,
          });
        },
      ),
    );
  });
});

describe('dispose()', () => {
  it('rejects calls in flight and later calls with E_UNAVAILABLE and aborts provider calls', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'dispose',
      providers: [healthy('a', 10_000, calls)],
      lastResort: () => 'never',
    });
    const inFlight = track(failover.execute('x'));
    await vi.advanceTimersByTimeAsync(1);
    await failover.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(inFlight.error).toBeInstanceOf(UnavailableError);
    expect(calls[0]?.aborted).toBe(true);
    await expect(failover.execute('y')).rejects.toBeInstanceOf(UnavailableError);
    await failover.dispose();
    expect(vi.getTimerCount()).toBe(0);
  });
});
