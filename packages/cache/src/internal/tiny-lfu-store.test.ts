import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lruHitRatio, tinyLfuHitRatio, zipfWithScanTrace } from '../../test-support/traces.ts';
import { type CacheEntry, createEntry } from './entry.ts';
import { ENTRY_OVERHEAD_BYTES, type EvictionReason, TinyLfuStore } from './tiny-lfu-store.ts';

const FOREVER = Number.MAX_SAFE_INTEGER;
const entryOf = (value: unknown, ttlMs = FOREVER / 2): CacheEntry =>
  createEntry(value, 0, ttlMs, 0);
const byLength = (value: unknown): number => (typeof value === 'string' ? value.length : 8);

function store(maxEntries: number, maxBytes = Number.POSITIVE_INFINITY): TinyLfuStore {
  return new TinyLfuStore({ maxEntries, maxBytes, sizeOf: byLength });
}

describe('TinyLfuStore', () => {
  it('returns what was set until it is deleted', () => {
    const l1 = store(10);
    l1.set('a', entryOf('x'), 0);
    expect(l1.get('a', 0)?.value).toBe('x');
    expect(l1.delete('a')).toBe(true);
    expect(l1.get('a', 0)).toBeUndefined();
    expect(l1.delete('a')).toBe(false);
  });

  it('drops an entry once its grace has passed', () => {
    const l1 = store(10);
    l1.set('a', createEntry('x', 0, 100, 50), 0);
    expect(l1.get('a', 149)?.value).toBe('x');
    expect(l1.get('a', 150)).toBeUndefined();
    expect(l1.size).toBe(0);
  });

  it('counts the key, the value and a fixed overhead in its bytes', () => {
    const l1 = store(10);
    l1.set('key', entryOf('12345'), 0);
    expect(l1.bytes).toBe(5 + 2 * 3 + ENTRY_OVERHEAD_BYTES);
    l1.set('key', entryOf('1'), 0);
    expect(l1.bytes).toBe(1 + 2 * 3 + ENTRY_OVERHEAD_BYTES);
  });

  it('rejects an entry larger than maxBytes and reports it', () => {
    const evicted: [string, EvictionReason][] = [];
    const l1 = store(10, 200);
    l1.onEvict = (key, reason) => evicted.push([key, reason]);
    l1.set('big', entryOf('x'.repeat(500)), 0);
    expect(l1.size).toBe(0);
    expect(evicted).toEqual([['big', 'rejected']]);
  });

  it('keeps frequently used keys through a scan of one-off keys', () => {
    const l1 = store(100);
    for (let round = 0; round < 5; round += 1) {
      for (let index = 0; index < 50; index += 1) {
        if (l1.get(`hot:${index}`, 0) === undefined) l1.set(`hot:${index}`, entryOf(index), 0);
      }
    }
    for (let index = 0; index < 10_000; index += 1) {
      if (l1.get(`scan:${index}`, 0) === undefined) l1.set(`scan:${index}`, entryOf(index), 0);
    }
    const kept = Array.from({ length: 50 }, (_, index) => l1.peek(`hot:${index}`, 0)).filter(
      (entry) => entry !== undefined,
    );
    expect(kept.length).toBeGreaterThanOrEqual(45);
    expect(l1.size).toBeLessThanOrEqual(100);
  });

  it('grows its memory with the entries held, not with maxEntries', () => {
    const l1 = store(1_000_000);
    l1.set('a', entryOf('x'), 0);
    expect(l1.size).toBe(1);
    expect(l1.segments().window.count).toBe(1);
  });

  it('beats plain LRU of the same size on a Zipf trace with a scan mixed in', () => {
    const trace = zipfWithScanTrace({
      keys: 10_000,
      exponent: 0.9,
      accesses: 100_000,
      scanLength: 25_000,
      seed: 7,
    });
    const lru = lruHitRatio(trace, 500);
    const tinyLfu = tinyLfuHitRatio(trace, 500);
    expect(tinyLfu).toBeGreaterThan(lru * 1.15);
  });

  describe('bounds (property)', () => {
    type Operation =
      | { kind: 'set'; key: number; size: number; ttlMs: number }
      | { kind: 'get'; key: number }
      | { kind: 'delete'; key: number }
      | { kind: 'tick'; ms: number };
    const operation = fc.oneof(
      {
        arbitrary: fc.record({
          kind: fc.constant('set' as const),
          key: fc.nat(60),
          size: fc.nat(400),
          ttlMs: fc.integer({ min: 1, max: 1000 }),
        }),
        weight: 5,
      },
      { arbitrary: fc.record({ kind: fc.constant('get' as const), key: fc.nat(60) }), weight: 4 },
      {
        arbitrary: fc.record({ kind: fc.constant('delete' as const), key: fc.nat(60) }),
        weight: 1,
      },
      { arbitrary: fc.record({ kind: fc.constant('tick' as const), ms: fc.nat(300) }), weight: 1 },
    );

    it('never holds more than maxEntries entries or maxBytes bytes, and accounts bytes exactly', () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 1, max: 40 }),
          fc.integer({ min: 150, max: 5_000 }),
          fc.array(operation, { maxLength: 300 }),
          (maxEntries, maxBytes, operations: Operation[]) => {
            const l1 = store(maxEntries, maxBytes);
            const sizes = new Map<string, number>();
            let now = 0;
            for (const op of operations) {
              if (op.kind === 'set') {
                l1.set(`k${op.key}`, createEntry('v'.repeat(op.size), now, op.ttlMs, 0), now);
              } else if (op.kind === 'get') {
                l1.get(`k${op.key}`, now);
              } else if (op.kind === 'delete') {
                l1.delete(`k${op.key}`);
              } else {
                now += op.ms;
              }
              expect(l1.size).toBeLessThanOrEqual(maxEntries);
              expect(l1.bytes).toBeLessThanOrEqual(maxBytes);
              const segments = l1.segments();
              expect(
                segments.window.count + segments.probation.count + segments.protected.count,
              ).toBe(l1.size);
              sizes.clear();
              for (const key of l1.keys()) {
                const entry = l1.peek(key, Number.NEGATIVE_INFINITY);
                const value = typeof entry?.value === 'string' ? entry.value : '';
                sizes.set(key, value.length + 2 * key.length + ENTRY_OVERHEAD_BYTES);
              }
              expect(l1.bytes).toBe([...sizes.values()].reduce((sum, size) => sum + size, 0));
            }
          },
        ),
        { numRuns: 300 },
      );
    });

    it('always returns the last value set for a key it still holds', () => {
      fc.assert(
        fc.property(fc.array(fc.tuple(fc.nat(30), fc.nat(1000)), { maxLength: 200 }), (writes) => {
          const l1 = store(16);
          const last = new Map<string, number>();
          for (const [key, value] of writes) {
            l1.set(`k${key}`, entryOf(value), 0);
            last.set(`k${key}`, value);
          }
          for (const key of l1.keys()) expect(l1.peek(key, 0)?.value).toBe(last.get(key));
        }),
      );
    });
  });
});
