import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createCircuitBreaker } from './index.ts';
import { estimateQuantile, LATENCY_BINS, latencyBin } from './internal/latency.ts';
import { COUNTER, RollingWindow } from './internal/rolling-window.ts';
import { controlledFunction } from './test-support.ts';

/** The exact quantile of a list, by the same rank rule (the ceil(q·n)-th smallest). */
function exactQuantile(sorted: readonly number[], quantile: number): number {
  return sorted[Math.max(1, Math.ceil(quantile * sorted.length)) - 1] ?? 0;
}

function histogramOf(latencies: readonly number[]): number[] {
  const histogram = new Array<number>(LATENCY_BINS).fill(0);
  for (const latency of latencies) {
    const bin = latencyBin(latency);
    histogram[bin] = (histogram[bin] ?? 0) + 1;
  }
  return histogram;
}

describe('latency estimates', () => {
  it('puts each latency in the power-of-two bin that holds it', () => {
    expect([0, 0.5, 1, 1.9, 2, 3, 4, 1_000, 16_383, 16_384, 1e9].map(latencyBin)).toEqual([
      0, 0, 1, 1, 2, 2, 3, 10, 14, 15, 15,
    ]);
  });

  it('estimates within a factor of two of the exact quantile and never above the maximum', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 300 }),
        fc.constantFrom(0.5, 0.9, 0.99),
        (latencies, quantile) => {
          const sorted = [...latencies].sort((a, b) => a - b);
          const exact = exactQuantile(sorted, quantile);
          const max = sorted.at(-1) ?? 0;
          const estimate = estimateQuantile(
            histogramOf(latencies),
            latencies.length,
            max,
            quantile,
          );
          expect(estimate).toBeLessThanOrEqual(max);
          const bin = latencyBin(exact);
          const lower = bin === 0 ? 0 : 2 ** (bin - 1);
          const upper = bin === LATENCY_BINS - 1 ? max : 2 ** bin;
          expect(estimate).toBeGreaterThanOrEqual(lower);
          expect(estimate).toBeLessThanOrEqual(Math.min(upper, max));
        },
      ),
    );
  });

  it('never decreases as the quantile grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 60_000 }), { minLength: 1, maxLength: 200 }),
        (latencies) => {
          const histogram = histogramOf(latencies);
          const max = Math.max(...latencies);
          const estimates = [0.1, 0.5, 0.9, 0.99, 1].map((q) =>
            estimateQuantile(histogram, latencies.length, max, q),
          );
          expect(estimates).toEqual([...estimates].sort((a, b) => a - b));
        },
      ),
    );
  });

  it('is 0 for an empty histogram', () => {
    expect(estimateQuantile(new Array(LATENCY_BINS).fill(0), 0, 0, 0.99)).toBe(0);
  });
});

describe('stats latency', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports percentiles and the maximum of the calls in the window', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'latency', timeoutMs: false });
    const durations = [3, 5, 6, 7, 100, 110, 120, 130, 140, 900];
    for (const duration of durations) {
      const call = breaker.execute('x');
      await vi.advanceTimersByTimeAsync(duration);
      calls.at(-1)?.resolve('ok');
      await call;
    }
    const { latencyMs } = breaker.stats();
    expect(latencyMs.max).toBe(900);
    expect(latencyMs.p50).toBeGreaterThanOrEqual(64);
    expect(latencyMs.p50).toBeLessThanOrEqual(128);
    expect(latencyMs.p99).toBeGreaterThanOrEqual(512);
    expect(latencyMs.p99).toBeLessThanOrEqual(900);
    await vi.advanceTimersByTimeAsync(10_000); // every call leaves the window
    expect(breaker.stats().latencyMs).toEqual({ p50: 0, p90: 0, p99: 0, max: 0 });
  });

  it('keeps the distribution when a bin passes 65,535 calls in one bucket', () => {
    const window = new RollingWindow({ bucketMs: 1_000, rollingWindowBuckets: 10 }, 0);
    for (let index = 0; index < 70_000; index++) window.record(COUNTER.successes, 0.5);
    for (let index = 0; index < 7_000; index++) window.record(COUNTER.successes, 3);
    const { histogram, histogramTotal, counts } = window.totals();
    expect(counts[COUNTER.successes]).toBe(77_000); // counters are 32-bit: exact
    const quantile = (q: number) => estimateQuantile(histogram, histogramTotal, 3, q);
    expect(quantile(0.5)).toBeLessThan(1); // most calls took under a millisecond
    expect(quantile(0.95)).toBeGreaterThanOrEqual(2); // the slowest tenth took 3 ms
  });
});
