import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import { failing, times } from './internal/test-support.ts';
import { createRetryBudget, type RetryBudget } from './retry-budget.ts';
import { createRetryPolicy } from './retry-policy.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

const immediate = backoff.constant({ delayMs: 0 });

describe('retry budget in a policy', () => {
  it('gives up at once with the last error when the budget is spent, and recovers with time', async () => {
    const budget = createRetryBudget({ capacity: 2, retryRatio: 0, minRetriesPerSecond: 1 });
    const policy = createRetryPolicy({ budget, backoff: immediate, retries: 5 });
    const error = new Error('down');
    const first = failing(times(10, error), 'never');
    await expect(policy.execute(first.fn)).rejects.toBe(error);
    expect(first.fn).toHaveBeenCalledTimes(3); // 2 retries from the budget

    const second = failing(times(10, error), 'never');
    await expect(policy.execute(second.fn)).rejects.toBe(error);
    expect(second.fn).toHaveBeenCalledTimes(1); // no retry left

    await vi.advanceTimersByTimeAsync(1_000);
    const third = failing([error], 'recovered');
    await expect(policy.execute(third.fn)).resolves.toBe('recovered');
    expect(third.fn).toHaveBeenCalledTimes(2);
  });

  it('is shared by every call of a policy and by policies given the same budget', async () => {
    const budget = createRetryBudget({ capacity: 3, retryRatio: 0, minRetriesPerSecond: 0 });
    const reads = createRetryPolicy({ name: 'reads', budget, backoff: immediate });
    const writes = createRetryPolicy({ name: 'writes', budget, backoff: immediate });
    const error = new Error('down');
    const policies = [reads, writes, reads, writes];
    const calls = policies.map(() => failing(times(10, error), 'x'));
    await Promise.allSettled(calls.map(({ fn }, index) => policies[index]?.execute(fn)));
    const attempts = calls.reduce((sum, { fn }) => sum + fn.mock.calls.length, 0);
    expect(attempts).toBe(4 + 3);
  });

  it('earns retries from traffic (10 % of calls by default)', async () => {
    const budget = createRetryBudget({ capacity: 5, minRetriesPerSecond: 0 });
    const policy = createRetryPolicy({ budget, backoff: immediate, retries: 5 });
    while (budget.tryRetry()) {
      // spend the starting balance
    }
    const error = new Error('down');
    const before = failing(times(10, error), 'x');
    await expect(policy.execute(before.fn)).rejects.toBe(error);
    expect(before.fn).toHaveBeenCalledTimes(1); // its own 0.1 is not a whole retry
    for (let call = 0; call < 20; call++) await policy.execute(() => 'ok');
    const after = failing(times(10, error), 'x');
    await expect(policy.execute(after.fn)).rejects.toBe(error);
    expect(after.fn).toHaveBeenCalledTimes(3); // 22 calls earned 2.2 retries
  });

  it('records each call once, not each attempt, and asks once per retry', async () => {
    const budget: RetryBudget = {
      recordCall: vi.fn(),
      tryRetry: vi.fn(() => true),
      available: () => 1,
    };
    const policy = createRetryPolicy({ budget, backoff: immediate });
    await policy.execute(failing(times(2, new Error('x')), 'ok').fn);
    expect(budget.recordCall).toHaveBeenCalledTimes(1);
    expect(budget.tryRetry).toHaveBeenCalledTimes(2);
  });

  it('is not asked for errors that are not retried', async () => {
    const budget: RetryBudget = {
      recordCall: vi.fn(),
      tryRetry: vi.fn(() => true),
      available: () => 1,
    };
    const policy = createRetryPolicy({ budget });
    await expect(policy.execute(() => Promise.reject(new TypeError('bug')))).rejects.toThrow('bug');
    expect(budget.tryRetry).not.toHaveBeenCalled();
  });

  it('each policy gets its own default budget; budget: false has none', () => {
    const first = createRetryPolicy();
    const second = createRetryPolicy();
    expect(first.budget).toBeDefined();
    expect(first.budget).not.toBe(second.budget);
    expect(first.budget?.available()).toBe(100);
    expect(createRetryPolicy({ budget: false }).budget).toBeUndefined();
  });

  it('limits a storm: 1000 failing calls make at most about 10 % extra attempts', async () => {
    const policy = createRetryPolicy({ backoff: immediate, retries: 3 });
    const error = new Error('down');
    let attempts = 0;
    const fn = () => {
      attempts++;
      return Promise.reject(error);
    };
    const results = await Promise.allSettled(
      Array.from({ length: 1_000 }, () => policy.execute(fn)),
    );
    expect(results.every((result) => result.status === 'rejected')).toBe(true);
    // 1000 first attempts + at most the 100 saved up + 10 % of 1000 earned
    expect(attempts).toBeLessThanOrEqual(1_000 + 100 + 100);
    expect(attempts).toBeGreaterThan(1_000);
  });
});
