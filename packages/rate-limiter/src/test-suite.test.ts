import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { memoryStore } from './memory-store.ts';
import type { RateLimitStore, StoreOutcome } from './store.ts';
import { storeConformanceChecks } from './test-suite.ts';

/** A memory store whose outcomes are altered by `distort`: a store that does not conform. */
function distorted(distort: (outcome: StoreOutcome) => StoreOutcome): RateLimitStore {
  const inner = memoryStore();
  return {
    ...inner,
    consume: async (request) => distort(await inner.consume(request)),
    peek: async (request) => distort(await inner.peek(request)),
    reward: async (request) => distort(await inner.reward(request)),
  };
}

async function failures(store: () => RateLimitStore): Promise<string[]> {
  const failed: string[] = [];
  for (const check of storeConformanceChecks({ createStore: store, sequences: 5 })) {
    try {
      await check.run();
    } catch (error) {
      expect(error).toBeInstanceOf(AssertionError);
      failed.push(check.name);
    }
  }
  return failed;
}

describe('storeConformanceChecks', () => {
  it('returns uniquely named checks that need no test runner', () => {
    const checks = storeConformanceChecks({ createStore: () => memoryStore() });
    expect(checks.length).toBeGreaterThanOrEqual(8);
    expect(new Set(checks.map((check) => check.name)).size).toBe(checks.length);
    for (const check of checks) expect(typeof check.run).toBe('function');
  });

  it('passes the reference store', async () => {
    expect(await failures(() => memoryStore())).toEqual([]);
  });

  it('fails a store that is one unit too generous', async () => {
    const generous = distorted((outcome) => ({
      ...outcome,
      limits: outcome.limits.map((limit) => ({ ...limit, remaining: limit.remaining + 1 })),
    }));
    expect(await failures(() => generous)).toHaveLength(8);
  });

  it('fails a store whose retry times are a millisecond off', async () => {
    const early = distorted((outcome) => ({
      ...outcome,
      limits: outcome.limits.map((limit) => ({
        ...limit,
        retryAfterMs: Math.max(0, limit.retryAfterMs - 1),
      })),
    }));
    expect((await failures(() => early)).length).toBeGreaterThanOrEqual(5);
  });

  it('fails a store that ignores the injected time', async () => {
    const inner = memoryStore();
    const wallClock: RateLimitStore = {
      ...inner,
      timeSource: 'store',
      consume: (request) => inner.consume({ ...request, nowMs: undefined }),
      peek: (request) => inner.peek({ ...request, nowMs: undefined }),
      reward: (request) => inner.reward({ ...request, nowMs: undefined }),
    };
    expect((await failures(() => wallClock)).length).toBeGreaterThanOrEqual(5);
  });

  it('names the seed and the steps in a failure', async () => {
    const [check] = storeConformanceChecks({
      createStore: () => distorted((outcome) => ({ ...outcome, allowed: !outcome.allowed })),
      seed: 7,
    });
    const error = await check?.run().catch((caught: unknown) => caught);
    expect((error as Error).message).toMatch(/seed 8, sequence 0/);
    expect((error as Error).message).toMatch(/consume cost \d+ at \d+/);
  });
});
