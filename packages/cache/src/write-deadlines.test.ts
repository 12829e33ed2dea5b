import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { useFakeTime } from '../test-support/fake-time.ts';
import { memoryBus } from '../test-support/memory-bus.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import type { Cache } from './cache.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

const L2_TIMEOUT_MS = 100;

type Write = {
  readonly kind: 'set' | 'delete' | 'deleteMany' | 'clear' | 'deleteByTag';
  readonly key: string;
  readonly tagged: boolean;
  /** Fake milliseconds to let pass before calling it. */
  readonly gapMs: number;
};

const write: fc.Arbitrary<Write> = fc.record({
  kind: fc.constantFrom('set', 'delete', 'deleteMany', 'clear', 'deleteByTag'),
  key: fc.constantFrom('a', 'b'),
  tagged: fc.boolean(),
  gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 150 })),
});

function call(cache: Cache, { kind, key, tagged }: Write): Promise<unknown> {
  switch (kind) {
    case 'set':
      return cache.set(key, 'v', tagged ? { tags: ['t'] } : {});
    case 'delete':
      return cache.delete(key);
    case 'deleteMany':
      return cache.deleteMany([key, 'c']);
    case 'clear':
      return cache.clear();
    case 'deleteByTag':
      return cache.deleteByTag('t');
  }
}

/**
 * The documented bound: `l2TimeoutMs` for the L2 part and the publish together; a `set` with
 * tags may first read their versions (one more), after waiting for a `deleteByTag` of them
 * still running (one more). While L2 cools down, nothing waits.
 */
function deadlineOf(op: Write, coolingDown: boolean): number {
  const tagged = op.kind === 'set' && op.tagged;
  if (tagged) return 3 * L2_TIMEOUT_MS;
  return coolingDown ? 0 : L2_TIMEOUT_MS;
}

describe('deadlines of writes with a bus', () => {
  it('no write waits past its deadline when Redis (L2 and bus) hangs, fails or answers (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { minLength: 1, maxLength: 12 }),
        fc.constantFrom('ok', 'hang', 'fail'),
        fc.constantFrom('ok', 'hang', 'fail'),
        fc.integer({ min: 1, max: 6 }),
        async (writes, l2Mode, busMode, threshold) => {
          const l2 = memoryL2({ features: true });
          const bus = memoryBus();
          const cache = createCache({
            namespace: 'deadlines',
            ttlMs: 60_000,
            l2,
            bus,
            l2TimeoutMs: L2_TIMEOUT_MS,
            l2FailureThreshold: threshold,
            l2CooldownMs: 1000,
          });
          await vi.advanceTimersByTimeAsync(0);
          l2.mode = l2Mode;
          bus.hanging = busMode === 'hang';
          bus.failing = busMode === 'fail';
          const outcomes: { op: Write; bound: number; tookMs: number | undefined }[] = [];
          for (const op of writes) {
            await vi.advanceTimersByTimeAsync(op.gapMs);
            const coolingDown = cache.stats().l2.state === 'cooling-down';
            const outcome = {
              op,
              bound: deadlineOf(op, coolingDown),
              tookMs: undefined as number | undefined,
            };
            outcomes.push(outcome);
            const started = Date.now();
            void call(cache, op).then(() => {
              outcome.tookMs = Date.now() - started;
            });
          }
          for (
            let step = 0;
            step < 400 && outcomes.some((o) => o.tookMs === undefined);
            step += 1
          ) {
            await vi.advanceTimersByTimeAsync(1);
          }
          for (const outcome of outcomes) {
            expect(outcome.tookMs, JSON.stringify(outcome.op)).toBeDefined();
            expect(outcome.tookMs, JSON.stringify(outcome.op)).toBeLessThanOrEqual(outcome.bound);
          }
          l2.mode = 'ok';
          bus.hanging = false;
          bus.failing = false;
          await cache.close();
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a set and a delete each resolve within l2TimeoutMs while L2 and the bus hang', async () => {
    const l2 = memoryL2({ features: true });
    const bus = memoryBus();
    const cache = createCache({ namespace: 'd', ttlMs: 1000, l2, bus, l2TimeoutMs: 100 });
    await vi.advanceTimersByTimeAsync(0);
    l2.mode = 'hang';
    bus.hanging = true;
    let settled = 0;
    void cache.set('k', 'v').then(() => (settled += 1));
    void cache.delete('k').then(() => (settled += 1));
    await vi.advanceTimersByTimeAsync(99);
    expect(settled).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toBe(2);
    l2.mode = 'ok';
    bus.hanging = false;
    await cache.close();
  });

  it('queues the publish at once while L2 cools down, and sends it when the bus is back', async () => {
    const l2 = memoryL2({ features: true });
    const bus = memoryBus();
    const cache = createCache({
      namespace: 'd',
      ttlMs: 1000,
      l2,
      bus,
      l2TimeoutMs: 100,
      l2FailureThreshold: 1,
      l2CooldownMs: 500,
    });
    await vi.advanceTimersByTimeAsync(0);
    l2.mode = 'hang';
    bus.hanging = true;
    void cache.delete('first');
    await vi.advanceTimersByTimeAsync(100);
    expect(cache.stats().l2.state).toBe('cooling-down');
    let settled = false;
    void cache.set('k', 'v').then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(settled).toBe(true);
    l2.mode = 'ok';
    bus.hanging = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(bus.published.some((payload) => payload.includes('"k"'))).toBe(true);
    await cache.close();
  });
});
