import { ConfigurationError } from '@rampart/errors';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResolvedLimit } from './limits.ts';
import { memoryStore } from './memory-store.ts';
import { storeConformanceChecks } from './test-suite.ts';

const minute: ResolvedLimit = {
  name: 'minute',
  algorithm: 'fixed-window',
  limit: 2,
  windowMs: 60_000,
  capacity: 2,
};
const START = 1_750_000_020_000; // a window boundary: START % 60_000 === 0

const request = (key: string, nowMs: number, cost = 1) => ({
  prefix: 'p:',
  key,
  limits: [minute],
  cost,
  nowMs,
});

afterEach(() => {
  vi.useRealTimers();
});

describe('memoryStore', () => {
  it('passes the store conformance suite', async () => {
    for (const check of storeConformanceChecks({
      createStore: () => memoryStore(),
      sequences: 5,
    })) {
      await check.run();
    }
  });

  it('uses no timer per key', async () => {
    vi.useFakeTimers();
    const store = memoryStore();
    for (let index = 0; index < 100; index++) await store.consume(request(`k${index}`, START));
    expect(vi.getTimerCount()).toBe(0);
  });

  it('forgets a key once its window is over, without being asked', async () => {
    const store = memoryStore();
    await store.consume(request('a', START, 2));
    expect((await store.consume(request('a', START + 59_999))).allowed).toBe(false);
    const next = await store.consume(request('a', START + 60_000));
    expect(next.allowed).toBe(true);
    expect(next.limits[0]?.remaining).toBe(1);
  });

  it('keeps at most maxKeys keys, dropping expired keys first', async () => {
    const store = memoryStore({ maxKeys: 3 });
    await store.consume(request('old', START, 2));
    await store.consume(request('b', START + 60_000, 2));
    await store.consume(request('c', START + 60_000, 2));
    // "old" expired at START + 60_000: room is made by dropping it, not a live key.
    await store.consume(request('d', START + 60_000, 2));
    for (const key of ['b', 'c', 'd']) {
      expect((await store.peek(request(key, START + 60_001))).limits[0]?.remaining).toBe(0);
    }
  });

  it('evicts the oldest key when every key is live, and never grows past maxKeys', async () => {
    const store = memoryStore({ maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) await store.consume(request(key, START, 2));
    // "a" was evicted: it is fresh again. "b" and "c" are still full.
    expect((await store.peek(request('a', START))).limits[0]?.remaining).toBe(2);
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('c', START))).limits[0]?.remaining).toBe(0);
  });

  it('stays bounded and quick when every call brings a new key', async () => {
    const store = memoryStore({ maxKeys: 1_000 });
    for (let index = 0; index < 50_000; index++) {
      await store.consume(request(`visitor-${index}`, START, 2));
    }
    // The most recent 1,000 keys are remembered, older ones were dropped.
    expect((await store.peek(request('visitor-49999', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('visitor-49000', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('visitor-48999', START))).limits[0]?.remaining).toBe(2);
  });

  it('treats a key that came back after expiring as the newest', async () => {
    const store = memoryStore({ maxKeys: 2 });
    await store.consume(request('a', START));
    await store.consume(request('b', START, 2));
    await store.consume(request('a', START + 60_000)); // a's window ended: a is renewed
    await store.consume(request('c', START + 60_000)); // full: evicts the oldest, b
    expect((await store.peek(request('a', START + 60_001))).limits[0]?.remaining).toBe(1);
    expect((await store.peek(request('c', START + 60_001))).limits[0]?.remaining).toBe(1);
    // b's state (0 remaining until START + 60 000) was forgotten; at START it is fresh again.
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(2);
  });

  it('keeps separate prefixes apart', async () => {
    const store = memoryStore();
    await store.consume(request('a', START, 2));
    const other = await store.consume({ ...request('a', START), prefix: 'q:' });
    expect(other.limits[0]?.remaining).toBe(1);
  });

  it('starts a key afresh when its limits change', async () => {
    const store = memoryStore();
    await store.consume(request('a', START, 2));
    const wider = { ...minute, limit: 5, capacity: 5 };
    const outcome = await store.consume({ ...request('a', START), limits: [wider] });
    expect(outcome.limits[0]?.remaining).toBe(4);
  });

  it('starts a key afresh when its number of limits changes, and can still evict it', async () => {
    const store = memoryStore({ maxKeys: 2 });
    const hour: ResolvedLimit = { ...minute, name: 'hour', limit: 3, windowMs: 3_600_000 };
    await store.consume(request('a', START, 2));
    const both = await store.consume({ ...request('a', START), limits: [minute, hour] });
    expect(both.limits.map((limit) => limit.remaining)).toEqual([1, 2]);
    expect((await store.consume(request('a', START))).limits[0]?.remaining).toBe(1);
    // "a" (renewed twice) is older than "b": a third key evicts it, and only it.
    await store.consume(request('b', START, 2));
    await store.consume(request('c', START, 2));
    expect((await store.peek(request('a', START))).limits[0]?.remaining).toBe(2);
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('c', START))).limits[0]?.remaining).toBe(0);
  });

  it('evicts by the age of a key since it was last created, not since a reset', async () => {
    const store = memoryStore({ maxKeys: 2 });
    await store.consume(request('a', START, 2));
    await store.consume(request('b', START, 2));
    await store.reset(request('a', START));
    await store.consume(request('a', START, 2)); // "a" again: now newer than "b"
    await store.consume(request('c', START, 2)); // full: evicts "b", the oldest
    expect((await store.peek(request('a', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(2);
    expect((await store.peek(request('c', START))).limits[0]?.remaining).toBe(0);
  });

  it('keeps evicting correctly when used again after close()', async () => {
    const store = memoryStore({ maxKeys: 2 });
    await store.consume(request('a', START, 2));
    await store.consume(request('b', START, 2));
    await store.close();
    for (const key of ['c', 'd', 'e']) await store.consume(request(key, START, 2));
    // Keys from before close() are gone; of the later ones, only the oldest was evicted.
    expect((await store.peek(request('c', START))).limits[0]?.remaining).toBe(2);
    expect((await store.peek(request('d', START))).limits[0]?.remaining).toBe(0);
    expect((await store.peek(request('e', START))).limits[0]?.remaining).toBe(0);
  });

  it('resets one key and closes by forgetting everything', async () => {
    const store = memoryStore();
    await store.consume(request('a', START, 2));
    await store.consume(request('b', START, 2));
    await store.reset(request('a', START));
    expect((await store.peek(request('a', START))).limits[0]?.remaining).toBe(2);
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(0);
    await store.close();
    expect((await store.peek(request('b', START))).limits[0]?.remaining).toBe(2);
  });

  it('uses Date.now when no time is given', async () => {
    vi.useFakeTimers({ now: START });
    const store = memoryStore();
    const { nowMs: _ignored, ...untimed } = request('a', START);
    await store.consume({ ...untimed, cost: 2 });
    expect((await store.peek(untimed)).allowed).toBe(false);
    vi.setSystemTime(START + 60_000);
    expect((await store.peek(untimed)).allowed).toBe(true);
  });

  it('rejects bad options with a ConfigurationError naming them', () => {
    expect(() => memoryStore({ maxKeys: 0 })).toThrow(ConfigurationError);
    expect(() => memoryStore({ maxKeys: 1.5 })).toThrow(
      'memoryStore: `maxKeys` must be a positive integer (got 1.5)',
    );
    expect(() => memoryStore({ maxKey: 3 } as never)).toThrow('`maxKey` is not a known option');
  });
});
