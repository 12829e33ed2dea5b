import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fullUnicodeKey, isWellFormed } from '../test-support/arbitraries.ts';
import { useFakeTime } from '../test-support/fake-time.ts';
import { memoryBus } from '../test-support/memory-bus.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { type Held, issue, operation, plan, TAG } from '../test-support/order-model.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

describe('program order of the operations on one key', () => {
  it('takes effect in the order called, in L1, in L2 and on other instances (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fullUnicodeKey,
        fc.option(fc.boolean(), { nil: undefined }),
        fc.array(operation, { minLength: 1, maxLength: 7 }),
        fc.boolean(),
        fc.constantFrom(0, 1, 3),
        async (key, initial, ops, withBus, latencyMs) => {
          const l2 = memoryL2({ features: true });
          const bus = withBus ? memoryBus() : undefined;
          const open = (l1?: false) =>
            createCache({
              namespace: 'order',
              ttlMs: 60_000,
              l2,
              ...(bus === undefined ? {} : { bus }),
              ...(l1 === false ? { l1: false as const } : {}),
            });
          const writer = open();
          const other = open();
          const fresh = open(false);
          try {
            await vi.advanceTimersByTimeAsync(0);
            if (!isWellFormed(key)) {
              const results = await Promise.allSettled(
                ops.map((op, i) => issue(writer, key, op, i)),
              );
              for (const [index, result] of results.entries()) {
                const op = ops[index];
                if (op?.kind === 'clear' || op?.kind === 'deleteByTag') continue;
                expect(result.status).toBe('rejected');
                const reason = (result as PromiseRejectedResult).reason;
                expect(isRampartError(reason) && reason.code).toBe('E_VALIDATION');
                expect(String(reason.message)).toMatch(/`key(s\[0\])?` must be a well-formed/);
              }
              return;
            }
            let held: Held | undefined;
            if (initial !== undefined) {
              await writer.set(key, 'initial', initial ? { tags: [TAG] } : {});
              expect(await other.get(key)).toBe('initial'); // now in the other's L1
              held = { value: 'initial', tagged: initial, loading: false };
            }
            l2.latencyMs = latencyMs;
            const planned = plan(held, ops);
            const expected = planned.results;
            held = planned.held;
            // Every operation is called in one tick, none awaited before the next is called.
            const calls = ops.map((op, index) => issue(writer, key, op, index));
            await vi.advanceTimersByTimeAsync(1000);
            const results = await Promise.all(calls);
            for (const [index, result] of results.entries()) {
              expect(expected[index]).toContainEqual(result);
            }
            await vi.advanceTimersByTimeAsync(1000);
            l2.latencyMs = 0;
            expect(await writer.get(key)).toBe(held?.value);
            expect(await fresh.get(key)).toBe(held?.value);
            if (bus !== undefined) expect(await other.get(key)).toBe(held?.value);
          } finally {
            await Promise.all([writer.close(), other.close(), fresh.close()]);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a delete right after a tagged set leaves the key deleted in both tiers', async () => {
    const l2 = memoryL2({ features: true });
    const cache = createCache({ namespace: 'order', ttlMs: 60_000, l2 });
    const reader = createCache({ namespace: 'order', ttlMs: 60_000, l2, l1: false });
    const set = cache.set('k', 'v', { tags: ['t'] });
    const deleted = cache.delete('k');
    await Promise.all([set, deleted]);
    expect(await cache.get('k')).toBeUndefined();
    expect(await reader.get('k')).toBeUndefined();
    await Promise.all([cache.close(), reader.close()]);
  });

  it('a read right after a tagged set sees its value before the tags are read', async () => {
    const l2 = memoryL2({ features: true });
    const cache = createCache({ namespace: 'order', ttlMs: 60_000, l2 });
    l2.latencyMs = 50;
    const set = cache.set('k', { n: 1 }, { tags: ['t'] });
    const factory = vi.fn(async () => ({ n: 2 }));
    expect(await cache.get('k')).toEqual({ n: 1 });
    expect(await cache.getOrSet('k', factory)).toEqual({ n: 1 });
    expect(await cache.has('k')).toBe(true);
    expect(await cache.getMany(['k'])).toEqual([{ n: 1 }]);
    expect(factory).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(200);
    await set;
    await cache.close();
  });
});
