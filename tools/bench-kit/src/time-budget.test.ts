import { describe, expect, it } from 'vitest';
import {
  DEFAULT_TIME_MS,
  fitRounds,
  MIN_ROUNDS,
  planRounds,
  resolveTimeMs,
} from './time-budget.ts';

describe('resolveTimeMs', () => {
  it('defaults to DEFAULT_TIME_MS', () => {
    expect(resolveTimeMs(undefined, undefined)).toBe(DEFAULT_TIME_MS);
  });

  it('scales both the default and an explicit time by BENCH_TIME_MS', () => {
    expect(resolveTimeMs(undefined, '300')).toBe(300);
    expect(resolveTimeMs(3000, '300')).toBe(600);
  });

  it('rejects nonsense', () => {
    expect(() => resolveTimeMs(undefined, 'fast')).toThrow(/BENCH_TIME_MS/);
    expect(() => resolveTimeMs(0, undefined)).toThrow(RangeError);
  });
});

describe('planRounds', () => {
  it('aims for 5 ms batches and many rounds', () => {
    expect(planRounds(1500, undefined)).toEqual({ rounds: 300, batchMs: 5 });
  });

  it('keeps at least MIN_ROUNDS', () => {
    expect(planRounds(10, undefined).rounds).toBe(MIN_ROUNDS);
  });

  it('derives the batch length from explicit rounds', () => {
    expect(planRounds(1000, 50)).toEqual({ rounds: 50, batchMs: 20 });
    expect(() => planRounds(1000, 0)).toThrow(RangeError);
  });
});

describe('fitRounds', () => {
  it('runs fewer rounds when the slowest batch overshoots', () => {
    expect(fitRounds(1500, 300, 50, false)).toBe(30);
    expect(fitRounds(1500, 300, 1000, false)).toBe(MIN_ROUNDS);
    expect(fitRounds(1500, 300, 5, false)).toBe(300);
  });

  it('keeps explicit rounds', () => {
    expect(fitRounds(1500, 300, 50, true)).toBe(300);
  });
});
