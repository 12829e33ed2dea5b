import { describe, expect, it } from 'vitest';
import {
  averageOverSeeds,
  seededRandom,
  simulateContention,
} from '../bench/contention-simulation.ts';
import { backoff } from './backoff.ts';
import { createRetryBudget } from './retry-budget.ts';

const bounds = { baseMs: 10, maxMs: 10_000 };

describe('the contention simulation behind bench/contention.bench.ts', () => {
  it('is deterministic: a seed always gives the same run', () => {
    const scenario = {
      clients: 50,
      serviceMs: 10,
      seed: 7,
      backoff: (random: () => number) => backoff.fullJitter({ ...bounds, random }),
    };
    expect(simulateContention(scenario)).toEqual(simulateContention(scenario));
    expect(seededRandom(1)()).toBe(seededRandom(1)());
  });

  it('shows full jitter making far fewer calls than plain exponential backoff', () => {
    for (const clients of [10, 50, 100]) {
      const exponential = averageOverSeeds(
        { clients, serviceMs: 10, backoff: () => backoff.exponential(bounds) },
        5,
      );
      const fullJitter = averageOverSeeds(
        { clients, serviceMs: 10, backoff: (random) => backoff.fullJitter({ ...bounds, random }) },
        5,
      );
      expect(exponential.completed).toBe(clients);
      expect(fullJitter.completed).toBe(clients);
      expect(fullJitter.calls).toBeLessThan(exponential.calls);
      expect(fullJitter.completionMs).toBeLessThan(exponential.completionMs);
    }
  });

  it('without jitter, collided clients retry in lockstep: N(N+1)/2 calls', () => {
    const outcome = simulateContention({
      clients: 20,
      serviceMs: 10,
      seed: 3,
      backoff: () => backoff.exponential(bounds),
    });
    expect(outcome.calls).toBe((20 * 21) / 2);
  });

  it('with a budget, a dependency that is down sees about 10 % extra calls, not 4×', () => {
    const outage = {
      clients: 1_000,
      arrivalMs: 10_000,
      outageMs: 10_000,
      serviceMs: 1,
      maxAttempts: 4,
    };
    const jitter = (random: () => number) => backoff.fullJitter({ random });
    const free = averageOverSeeds({ ...outage, backoff: jitter }, 3);
    const budgeted = averageOverSeeds(
      { ...outage, backoff: jitter, budget: (clock) => createRetryBudget({ clock }) },
      3,
    );
    expect(free.calls).toBeGreaterThan(3_500);
    // 1000 calls + 100 saved up + 10 % of 1000 + 10 per second for about 10 s
    expect(budgeted.calls).toBeLessThanOrEqual(1_000 + 100 + 100 + 10 * 11);
  });
});
