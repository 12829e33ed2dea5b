import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFailover } from './failover.ts';
import { dead, healthy, type ReceivedCall, simulated } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('priority strategy', () => {
  it('serves from the first healthy provider in priority order, then array order', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'priority',
      providers: [
        { ...healthy('b', 5, calls), priority: 2 },
        { ...healthy('a', 5, calls), priority: 1 },
        { ...healthy('c', 5, calls), priority: 1 },
      ],
    });
    const answer = failover.execute('x');
    await vi.advanceTimersByTimeAsync(5);
    await expect(answer).resolves.toBe('a:x');
    expect(calls.map((call) => call.provider)).toEqual(['a']);
    await failover.dispose();
  });

  it('falls back in order and passes the attempt number', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'fallback',
      providers: [dead('a', 1, calls), dead('b', 1, calls), healthy('c', 1, calls)],
    });
    const answer = failover.execute('x');
    await vi.advanceTimersByTimeAsync(3);
    await expect(answer).resolves.toBe('c:x');
    expect(calls.map((call) => [call.provider, call.attempt])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    await failover.dispose();
  });
});

describe('weighted strategy', () => {
  it('picks the first provider in proportion to weight, by the injected random', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 4 }),
        fc.double({ min: 0, max: 0.999_999, noNaN: true }),
        async (weights, draw) => {
          fc.pre(weights.some((weight) => weight > 0));
          const calls: ReceivedCall[] = [];
          const failover = createFailover({
            name: 'weighted',
            strategy: 'weighted',
            random: () => draw,
            providers: weights.map((weight, index) => ({
              ...healthy(`p${index}`, 0, calls),
              weight,
            })),
          });
          const answer = failover.execute('x');
          await vi.advanceTimersByTimeAsync(0);
          await answer;
          const total = weights.reduce((sum, weight) => sum + weight, 0);
          let point = draw * total;
          let expected = -1;
          for (const [index, weight] of weights.entries()) {
            if (weight > 0 && point < weight) {
              expected = index;
              break;
            }
            point -= weight;
          }
          expect(calls[0]?.provider).toBe(`p${expected}`);
          await failover.dispose();
        },
      ),
      { numRuns: 60 },
    );
  });

  it('never picks an open provider and uses zero-weight providers only as fallbacks', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'weighted-open',
      strategy: 'weighted',
      random: () => 0,
      breaker: { volumeThreshold: 1, resetTimeoutMs: 60_000, timeoutMs: false },
      providers: [
        { ...dead('a', 1, calls), weight: 10 },
        { ...healthy('spare', 1, calls), weight: 0 },
        { ...healthy('b', 1, calls), weight: 1 },
      ],
    });
    const first = failover.execute('1');
    await vi.advanceTimersByTimeAsync(5);
    await expect(first).resolves.toBe('b:1');
    calls.length = 0;
    const second = failover.execute('2');
    await vi.advanceTimersByTimeAsync(5);
    await expect(second).resolves.toBe('b:2');
    expect(calls.map((call) => call.provider)).toEqual(['b']);
    await failover.dispose();
  });

  it('splits traffic close to the weights with Math.random', async () => {
    const failover = createFailover({
      name: 'weighted-share',
      strategy: 'weighted',
      providers: [
        { ...healthy('heavy', 0), weight: 3 },
        { ...healthy('light', 0), weight: 1 },
      ],
    });
    for (let index = 0; index < 256; index++) {
      const answer = failover.execute(String(index));
      await vi.advanceTimersByTimeAsync(0);
      await answer;
    }
    const [heavy, light] = failover.state().providers;
    expect(heavy?.trafficShare).toBeGreaterThan(0.6);
    expect(light?.trafficShare).toBeGreaterThan(0.1);
    expect((heavy?.trafficShare ?? 0) + (light?.trafficShare ?? 0)).toBeCloseTo(1);
    await failover.dispose();
  });
});

describe('least-latency strategy', () => {
  it('prefers the provider with the lowest recent latency', async () => {
    const calls: ReceivedCall[] = [];
    const failover = createFailover({
      name: 'fastest',
      strategy: 'least-latency',
      explorationRate: 0,
      providers: [healthy('slow', 80, calls), healthy('fast', 20, calls)],
    });
    for (let index = 0; index < 10; index++) {
      const answer = failover.execute(String(index));
      await vi.advanceTimersByTimeAsync(80);
      await answer;
    }
    // Both unmeasured providers were tried first (0 ms counts as fastest), then only `fast`.
    expect(calls.slice(2).every((call) => call.provider === 'fast')).toBe(true);
    expect(calls.some((call) => call.provider === 'slow')).toBe(true);
    await failover.dispose();
  });

  it('without exploration, always starts with the provider of the lowest median', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 2, maxLength: 5 }),
        async (latencies) => {
          const calls: ReceivedCall[] = [];
          const failover = createFailover({
            name: 'lowest',
            strategy: 'least-latency',
            explorationRate: 0,
            providers: latencies.map((delayMs, index) => healthy(`p${index}`, delayMs, calls)),
          });
          for (let index = 0; index < latencies.length + 3; index++) {
            const answer = failover.execute(String(index));
            await vi.advanceTimersByTimeAsync(500);
            await answer;
          }
          const fastest = latencies.indexOf(Math.min(...latencies));
          // Each unmeasured provider is tried once, then only the fastest.
          expect(calls.slice(latencies.length).map((call) => call.provider)).toEqual(
            Array.from({ length: 3 }, () => `p${fastest}`),
          );
          await failover.dispose();
        },
      ),
      { numRuns: 30 },
    );
  });

  it('explores so a provider that recovered wins its traffic back', async () => {
    let slowFor = Number.POSITIVE_INFINITY;
    const calls: ReceivedCall[] = [];
    let draws = 0;
    const failover = createFailover({
      name: 'explore',
      strategy: 'least-latency',
      explorationRate: 0.2,
      // Deterministic draws: every fifth call explores, picking index 1 (the slower one).
      random: () => (draws++ % 2 === 0 ? ((draws >> 1) % 5 === 0 ? 0.1 : 0.9) : 0.9),
      providers: [
        simulated('a', () => ({ delayMs: Date.now() < slowFor ? 200 : 5 }), calls),
        healthy('b', 50, calls),
      ],
    });
    const run = async (count: number): Promise<void> => {
      for (let index = 0; index < count; index++) {
        const answer = failover.execute(String(index));
        await vi.advanceTimersByTimeAsync(200);
        await answer;
      }
    };
    await run(40);
    const beforeRecovery = calls.filter((call) => call.provider === 'a').length;
    expect(beforeRecovery).toBeLessThan(20);
    slowFor = Date.now();
    calls.length = 0;
    await run(200);
    const last = calls.slice(-50);
    expect(last.filter((call) => call.provider === 'a').length).toBeGreaterThan(35);
    await failover.dispose();
  });
});
