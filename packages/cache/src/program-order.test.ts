import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { fullUnicodeKey, isWellFormed } from '../test-support/arbitraries.ts';
import { useFakeTime } from '../test-support/fake-time.ts';
import { memoryBus } from '../test-support/memory-bus.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import type { Cache } from './cache.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

const TAG = 'team';

type Operation =
  | { readonly kind: 'set'; readonly value: string; readonly tagged: boolean }
  | { readonly kind: 'getOrSet'; readonly tagged: boolean }
  | { readonly kind: 'delete' | 'deleteMany' | 'clear' | 'deleteByTag' | 'get' | 'has' };

const operation: fc.Arbitrary<Operation> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    value: fc.string({ maxLength: 3 }),
    tagged: fc.boolean(),
  }),
  fc.record({ kind: fc.constant('getOrSet' as const), tagged: fc.boolean() }),
  fc.record({
    kind: fc.constantFrom(
      'delete' as const,
      'deleteMany' as const,
      'clear' as const,
      'deleteByTag' as const,
      'get' as const,
      'has' as const,
    ),
  }),
);

/** What the key holds in the model: a value, whether it is tagged, and whether a load wrote it. */
interface Held {
  readonly value: string;
  readonly tagged: boolean;
  /** Written by a `getOrSet` of this batch, whose write lands only when its factory returns. */
  readonly loading: boolean;
}

/** Issues one operation without awaiting it; resolves with what the caller got. */
function issue(cache: Cache, key: string, op: Operation, index: number): Promise<unknown> {
  const tags = (tagged: boolean) => (tagged ? { tags: [TAG] } : {});
  switch (op.kind) {
    case 'set':
      return cache.set(key, op.value, tags(op.tagged));
    case 'getOrSet':
      return cache.getOrSet(key, async () => `load${index}`, tags(op.tagged));
    case 'delete':
      return cache.delete(key);
    case 'deleteMany':
      return cache.deleteMany([key, `${key}-other`]);
    case 'clear':
      return cache.clear();
    case 'deleteByTag':
      return cache.deleteByTag(TAG);
    case 'get':
      return cache.get(key);
    case 'has':
      return cache.has(key);
  }
}

/**
 * Applies `op` to the model in program order. Returns the results the caller may get: one,
 * or (a read while a load of this batch is still running) nothing yet or the load's value.
 */
function apply(
  held: Held | undefined,
  op: Operation,
  index: number,
): { held: Held | undefined; results: unknown[] } {
  switch (op.kind) {
    case 'set':
      return { held: { value: op.value, tagged: op.tagged, loading: false }, results: [undefined] };
    case 'getOrSet':
      if (held !== undefined) return { held, results: [held.value] };
      return {
        held: { value: `load${index}`, tagged: op.tagged, loading: true },
        results: [`load${index}`],
      };
    case 'delete':
    case 'deleteMany':
    case 'clear':
      return { held: undefined, results: [undefined] };
    case 'deleteByTag':
      return { held: held?.tagged === true ? undefined : held, results: [undefined] };
    case 'get':
      // A load starts only when the key held nothing.
      if (held?.loading === true) return { held, results: [undefined, held.value] };
      return { held, results: [held?.value] };
    case 'has':
      if (held?.loading === true) return { held, results: [false, true] };
      return { held, results: [held !== undefined] };
  }
}

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
            const expected: unknown[][] = [];
            for (const [index, op] of ops.entries()) {
              const next = apply(held, op, index);
              expected.push(next.results);
              held = next.held;
              // A read runs alongside the writes called after it: it sees every write called
              // before it, and may see a later one (never an older value).
              for (const [earlier, previous] of ops.entries()) {
                if (earlier >= index || (previous.kind !== 'get' && previous.kind !== 'has')) {
                  continue;
                }
                const seen = apply(held, previous, earlier).results;
                expected[earlier]?.push(...seen);
              }
            }
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
