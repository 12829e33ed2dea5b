import { UnavailableError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RateLimitDecision } from './decision.ts';
import { createRateLimiter, memoryStore, type RateLimitStore } from './index.ts';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Settles into `log` in the order calls resolve. */
function track(
  log: string[],
  name: string,
  call: Promise<RateLimitDecision>,
): Promise<RateLimitDecision | unknown> {
  return call.then(
    (decision) => {
      log.push(`${name}:${decision.allowed ? 'in' : 'out'}@${Date.now() % 1_000_000}`);
      return decision;
    },
    (error: unknown) => {
      log.push(`${name}:error`);
      return error;
    },
  );
}

describe('consume with maxWaitMs', () => {
  it('waits for the next token instead of refusing, first in first out', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
    });
    const log: string[] = [];
    const calls = ['a', 'b', 'c'].map((name) =>
      track(log, name, limiter.consume('api', { maxWaitMs: 5_000 })),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a:in@0']);
    await vi.advanceTimersByTimeAsync(999);
    expect(log).toEqual(['a:in@0']);
    await vi.advanceTimersByTimeAsync(1);
    expect(log).toEqual(['a:in@0', 'b:in@1000']);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(log).toEqual(['a:in@0', 'b:in@1000', 'c:in@2000']);
    await Promise.all(calls);
  });

  it('refuses at once when the wait does not fit, and a waiter never waits past maxWaitMs', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
    });
    await limiter.consume('api');
    const tooShort = await limiter.consume('api', { maxWaitMs: 999 });
    expect(tooShort).toMatchObject({ allowed: false, retryAfterMs: 1_000 });
    const log: string[] = [];
    const first = track(log, 'first', limiter.consume('api', { maxWaitMs: 1_000 }));
    // Behind `first`, a second waiter needs two seconds but has one and a half.
    const second = track(log, 'second', limiter.consume('api', { maxWaitMs: 1_500 }));
    await vi.advanceTimersByTimeAsync(999);
    expect(log).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // `second` learns as soon as it is its turn that its next token comes too late.
    expect(log).toEqual(['first:in@1000', 'second:out@1000']);
    expect(await second).toMatchObject({ allowed: false });
    await first;
  });

  it('bounds the queue per key: past maxWaitingPerKey a call is refused at once', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
      maxWaitingPerKey: 2,
    });
    await limiter.consume('api');
    const log: string[] = [];
    const calls = [1, 2, 3].map((n) =>
      track(log, `w${n}`, limiter.consume('api', { maxWaitMs: 60_000 })),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['w3:out@0']);
    // Another key has its own queue.
    expect((await limiter.consume('other', { maxWaitMs: 10 })).allowed).toBe(true);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(log).toEqual(['w3:out@0', 'w1:in@1000', 'w2:in@2000']);
    await Promise.all(calls);
  });

  it('takes an aborted waiter out of the queue, and the next one moves up', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
    });
    await limiter.consume('api');
    const log: string[] = [];
    const controller = new AbortController();
    const aborted = track(
      log,
      'aborted',
      limiter.consume('api', { maxWaitMs: 10_000, signal: controller.signal }),
    );
    const next = track(log, 'next', limiter.consume('api', { maxWaitMs: 10_000 }));
    await vi.advanceTimersByTimeAsync(300);
    controller.abort(new Error('gave up'));
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['aborted:error']);
    expect(await aborted).toMatchObject({ message: 'gave up' });
    await vi.advanceTimersByTimeAsync(700);
    expect(log).toEqual(['aborted:error', 'next:in@1000']);
    await next;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects waiters when the limiter closes, leaving no timer behind', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
    });
    await limiter.consume('api');
    const waiting = limiter.consume('api', { maxWaitMs: 10_000 }).catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(10);
    await limiter.close();
    expect(await waiting).toBeInstanceOf(UnavailableError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses a bad maxWaitMs with a ValidationError naming it', async () => {
    const limiter = createRateLimiter();
    for (const maxWaitMs of [-1, 1.5, Number.NaN, '10', 2 ** 31]) {
      await expect(limiter.consume('a', { maxWaitMs: maxWaitMs as number })).rejects.toThrow(
        ValidationError,
      );
      await expect(limiter.consume('a', { maxWaitMs: maxWaitMs as number })).rejects.toThrow(
        /`options.maxWaitMs`/,
      );
    }
    await expect(limiter.consume('', { maxWaitMs: 10 })).rejects.toThrow(/`key`/);
  });

  it('admits in arrival order, never more than the limit, each within its wait (fast-check)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 400 }),
            maxWaitMs: fc.integer({ min: 0, max: 3_000 }),
          }),
          { minLength: 1, maxLength: 15 },
        ),
        async (arrivals) => {
          const start = Date.now();
          const limiter = createRateLimiter({
            limits: [{ name: 'l', limit: 2, windowMs: 1_000, algorithm: 'fixed-window' }],
          });
          const settled: Array<{ index: number; at: number; allowed: boolean }> = [];
          const calls: Promise<void>[] = [];
          for (const [index, { gapMs, maxWaitMs }] of arrivals.entries()) {
            await vi.advanceTimersByTimeAsync(gapMs);
            const arrivedAt = Date.now();
            calls.push(
              limiter.consume('k', { maxWaitMs }).then((decision) => {
                const at = Date.now();
                settled.push({ index, at, allowed: decision.allowed });
                expect(at - arrivedAt).toBeLessThanOrEqual(maxWaitMs);
              }),
            );
          }
          await vi.advanceTimersByTimeAsync(10_000);
          await Promise.all(calls);
          expect(settled).toHaveLength(arrivals.length);
          // Never more than the limit per fixed window.
          const perWindow = new Map<number, number>();
          for (const { at, allowed } of settled) {
            if (!allowed) continue;
            const window = Math.floor(at / 1_000);
            perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
          }
          for (const count of perWindow.values()) expect(count).toBeLessThanOrEqual(2);
          // Admitted waiters come out in arrival order.
          const admitted = settled.filter((entry) => entry.allowed).map((entry) => entry.index);
          expect(admitted).toEqual([...admitted].sort((a, b) => a - b));
          expect(Date.now()).toBeGreaterThan(start);
          await limiter.close();
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('consume with maxWaitMs through a store outside the process', () => {
  it('waits the same way when every decision is an asynchronous store call', async () => {
    const inner = memoryStore();
    let calls = 0;
    // A store of your own (no fast path): decisions go through the deadline and failure policy.
    const remote: RateLimitStore = {
      timeSource: 'caller',
      consume: (request) => {
        calls++;
        return inner.consume(request);
      },
      peek: (request) => inner.peek(request),
      reward: (request) => inner.reward(request),
      reset: (request) => inner.reset(request),
      close: () => Promise.resolve(),
    };
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
      store: remote,
      blockCache: false,
    });
    const log: string[] = [];
    const waiters = ['a', 'b', 'c'].map((name) =>
      track(log, name, limiter.consume('api', { maxWaitMs: 2_500 })),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['a:in@0']);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(log).toEqual(['a:in@0', 'b:in@1000', 'c:in@2000']);
    await Promise.all(waiters);
    // One consume per arrival, then only the head's tries: b at 1 s; c when it moves up
    // (rejected) and at 2 s. Waiters behind the head make no store calls.
    expect(calls).toBe(6);
    // Only the store deadline's shared timer (unref'd) may still be pending; it ends itself.
    await vi.advanceTimersByTimeAsync(1_000);
    expect(vi.getTimerCount()).toBe(0);
  });
});
