import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRetryBudget } from './retry-budget.ts';

function manualClock(start = 0) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

function drain(budget: { tryRetry(): boolean }): number {
  let spent = 0;
  while (budget.tryRetry()) spent++;
  return spent;
}

describe('createRetryBudget', () => {
  it('starts full: 100 retries by default, then refuses', () => {
    const budget = createRetryBudget({ clock: manualClock() });
    expect(budget.available()).toBe(100);
    expect(drain(budget)).toBe(100);
    expect(budget.tryRetry()).toBe(false);
    expect(budget.available()).toBe(0);
  });

  it('earns one retry per ten calls by default', () => {
    const budget = createRetryBudget({ clock: manualClock() });
    drain(budget);
    for (let call = 0; call < 9; call++) budget.recordCall();
    expect(budget.tryRetry()).toBe(false);
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
    expect(budget.tryRetry()).toBe(false);
  });

  it('recovers with time at the per-second floor (10 per second by default)', () => {
    const clock = manualClock();
    const budget = createRetryBudget({ clock });
    drain(budget);
    clock.advance(99);
    expect(budget.tryRetry()).toBe(false);
    clock.advance(1);
    expect(budget.tryRetry()).toBe(true);
    clock.advance(1_000);
    expect(budget.available()).toBe(10);
    clock.advance(60_000);
    expect(budget.available()).toBe(100);
  });

  it('never saves up more than its capacity', () => {
    const clock = manualClock();
    const budget = createRetryBudget({ capacity: 5, clock });
    for (let call = 0; call < 1_000; call++) budget.recordCall();
    clock.advance(3_600_000);
    expect(budget.available()).toBe(5);
    expect(drain(budget)).toBe(5);
  });

  it('with no floor, only calls refill it', () => {
    const clock = manualClock();
    const budget = createRetryBudget({
      minRetriesPerSecond: 0,
      capacity: 1,
      retryRatio: 0.5,
      clock,
    });
    expect(budget.tryRetry()).toBe(true);
    clock.advance(3_600_000);
    expect(budget.tryRetry()).toBe(false);
    budget.recordCall();
    budget.recordCall();
    expect(budget.tryRetry()).toBe(true);
  });

  it('ignores a clock that goes backwards', () => {
    const clock = manualClock(10_000);
    const budget = createRetryBudget({ capacity: 2, clock });
    drain(budget);
    clock.advance(-5_000);
    expect(budget.tryRetry()).toBe(false);
    clock.advance(100);
    expect(budget.tryRetry()).toBe(true);
  });

  it('never grants more retries than capacity + ratio × calls + floor × seconds', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('call' as const) }),
      fc.record({ kind: fc.constant('retry' as const) }),
      fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 5_000 }) }),
    );
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        fc.array(step, { maxLength: 300 }),
        (retryRatio, minRetriesPerSecond, capacity, steps) => {
          const clock = manualClock();
          const budget = createRetryBudget({ retryRatio, minRetriesPerSecond, capacity, clock });
          let calls = 0;
          let waitedMs = 0;
          let granted = 0;
          for (const s of steps) {
            if (s.kind === 'call') {
              calls++;
              budget.recordCall();
            } else if (s.kind === 'wait') {
              waitedMs += s.ms;
              clock.advance(s.ms);
            } else if (budget.tryRetry()) {
              granted++;
            }
            const bound = capacity + retryRatio * calls + (minRetriesPerSecond * waitedMs) / 1000;
            expect(granted).toBeLessThanOrEqual(bound + 1e-6);
            expect(budget.available()).toBeGreaterThanOrEqual(0);
            expect(budget.available()).toBeLessThanOrEqual(capacity);
          }
        },
      ),
    );
  });

  it.each([
    [{ retryRatio: 1.5 }, '`retryRatio` must be a number from 0 to 1 (got 1.5)'],
    [{ retryRatio: Number.NaN }, '`retryRatio` must be a number from 0 to 1'],
    [{ minRetriesPerSecond: -1 }, '`minRetriesPerSecond` must be a finite number from 0'],
    [{ capacity: 0 }, '`capacity` must be a finite number from 1'],
    [{ clock: Date.now }, '`clock` must be an object with a now() method'],
    [{ ratio: 0.1 }, '`ratio` is not a known option'],
  ])('rejects %o with a ConfigurationError naming the field', (options, message) => {
    expect(() => createRetryBudget(options as never)).toThrow(ConfigurationError);
    expect(() => createRetryBudget(options as never)).toThrow(`createRetryBudget: ${message}`);
  });
});
