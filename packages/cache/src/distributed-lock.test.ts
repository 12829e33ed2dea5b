import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { TimeoutError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { delay, settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { type CacheLockEvent, type CacheStaleEvent, cacheChannels } from './channels.ts';
import { createCache } from './create-cache.ts';
import type { L2Store } from './l2-store.ts';

useFakeTime();

/** A view of a shared store that one instance can lose (every call fails, as if it died). */
function failable(store: L2Store): { store: L2Store; kill(): void } {
  let dead = false;
  const view = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) =>
        dead
          ? Promise.reject(new Error('connection lost'))
          : (value as (...rest: unknown[]) => unknown).apply(target, args);
    },
  });
  return {
    store: view,
    kill: () => {
      dead = true;
    },
  };
}

describe('distributed lock', () => {
  it('calls the factory once for 3 instances × 300 concurrent callers of one missing key', async () => {
    const { caches, l2 } = instances(3, { distributedLock: true });
    await settle();
    const factory = vi.fn(async () => {
      await delay(50);
      return { id: 1 };
    });
    const calls = caches.flatMap((cache) =>
      Array.from({ length: 300 }, () => cache.getOrSet('hot', factory)),
    );
    await vi.advanceTimersByTimeAsync(50);
    await settle();
    const values = await Promise.all(calls);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(values.every((value) => JSON.stringify(value) === '{"id":1}')).toBe(true);
    const locks = caches.map((cache) => cache.stats().lock);
    expect(locks.reduce((sum, lock) => sum + lock.acquired, 0)).toBe(1);
    expect(locks.reduce((sum, lock) => sum + lock.waited, 0)).toBe(2);
    expect(l2.leases.size).toBe(0);
  });

  it('wakes waiters when the holder publishes, without waiting for a poll', async () => {
    const { caches } = instances(2, { distributedLock: { pollMs: 10_000, leaseMs: 60_000 } });
    const [a, b] = caches;
    await settle();
    const first = a?.getOrSet('k', () => delay(100).then(() => 'v'));
    await settle();
    const second = b?.getOrSet('k', () => 'other');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect([await first, await second]).toEqual(['v', 'v']);
  });

  it('finds the value by polling L2 when there is no bus', async () => {
    const l2 = memoryL2({ features: true });
    const options = { ttlMs: 60_000, l2, distributedLock: { pollMs: 20 } } as const;
    const a = createCache(options);
    const b = createCache(options);
    const factory = vi.fn(() => delay(90).then(() => 'v'));
    const first = a.getOrSet('k', factory);
    await settle();
    let settled = false;
    const second = b.getOrSet('k', factory).then((value) => {
      settled = true;
      return value;
    });
    await vi.advanceTimersByTimeAsync(90);
    expect(settled).toBe(false); // b last looked at 80 ms
    await vi.advanceTimersByTimeAsync(10);
    expect(settled).toBe(true); // and found the value at 100 ms
    expect([await first, await second]).toEqual(['v', 'v']);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('serves the stale value at once while another instance refreshes it', async () => {
    const stale: CacheStaleEvent[] = [];
    const listener = (message: unknown): void => {
      stale.push(message as CacheStaleEvent);
    };
    subscribe(cacheChannels.stale, listener);
    try {
      const { caches } = instances(2, { distributedLock: true, graceMs: 60_000 });
      const [a, b] = caches;
      await settle();
      await a?.set('k', 'old', { ttlMs: 10 });
      expect(await b?.get('k')).toBe('old');
      await vi.advanceTimersByTimeAsync(10);
      const refreshing = a?.getOrSet('k', () => delay(100).then(() => 'new'));
      await settle();
      const slowFactory = vi.fn(() => 'never');
      expect(await b?.getOrSet('k', slowFactory)).toBe('old');
      expect(slowFactory).not.toHaveBeenCalled();
      expect(stale.at(-1)).toMatchObject({ key: 'k', reason: 'locked' });
      await vi.advanceTimersByTimeAsync(100);
      await settle();
      expect(await refreshing).toBe('new');
      expect(await b?.getOrSet('k', slowFactory)).toBe('new');
    } finally {
      unsubscribe(cacheChannels.stale, listener);
    }
  });

  it('replaces a holder that died after the lease time, not before', async () => {
    const shared = memoryL2({ features: true });
    const holder = failable(shared);
    const lock = { leaseMs: 1000, pollMs: 50 };
    const a = createCache({ ttlMs: 60_000, l2: holder.store, distributedLock: lock });
    const b = createCache({ ttlMs: 60_000, l2: shared, distributedLock: lock });
    void a.getOrSet('k', () => new Promise(() => {})).catch(() => undefined);
    await settle();
    expect(shared.leases.size).toBe(1);
    holder.kill(); // no renewals from now on: the lease runs out after leaseMs
    const factory = vi.fn(() => 'taken over');
    const waiting = b.getOrSet('k', factory);
    await vi.advanceTimersByTimeAsync(950);
    expect(factory).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(100);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(await waiting).toBe('taken over');
    expect(b.stats().lock).toMatchObject({ acquired: 1 });
    await a.close();
  });

  it('gives the lease up when its load times out, even if the factory never settles', async () => {
    const { caches, l2 } = instances(2, {
      distributedLock: { leaseMs: 1000, pollMs: 50 },
      hardTimeoutMs: 200,
    });
    const [a, b] = caches;
    await settle();
    const stuck = a?.getOrSet('k', () => new Promise(() => {})).catch((error: unknown) => error);
    await settle();
    expect(l2.leases.size).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(await stuck).toBeInstanceOf(TimeoutError);
    await settle();
    expect(l2.leases.size).toBe(0);
    expect(await b?.getOrSet('k', () => 'b loads it')).toBe('b loads it');
  });

  it('renews the lease while a long factory runs', async () => {
    const { caches } = instances(2, { distributedLock: { leaseMs: 300, pollMs: 50 } });
    const [a, b] = caches;
    await settle();
    const factory = vi.fn(() => delay(2000).then(() => 'slow'));
    const first = a?.getOrSet('k', factory);
    await settle();
    const second = b?.getOrSet('k', factory);
    await vi.advanceTimersByTimeAsync(2000);
    await settle();
    expect([await first, await second]).toEqual(['slow', 'slow']);
    expect(factory).toHaveBeenCalledTimes(1);
  });

  it('falls back to the per-process single flight when L2 is down', async () => {
    const events: CacheLockEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as CacheLockEvent);
    };
    subscribe(cacheChannels.lock, listener);
    try {
      const l2 = memoryL2({ features: true });
      const cache = createCache({ ttlMs: 60_000, l2, distributedLock: true, l2TimeoutMs: 50 });
      l2.mode = 'fail';
      const factory = vi.fn(() => 'v');
      const values = await Promise.all(
        Array.from({ length: 10 }, () => cache.getOrSet('k', factory)),
      );
      expect(values).toEqual(Array.from({ length: 10 }, () => 'v'));
      expect(factory).toHaveBeenCalledTimes(1);
      expect(cache.stats().lock.fallbacks).toBe(1);
      expect(events).toMatchObject([{ key: 'k', outcome: 'unavailable' }]);
    } finally {
      unsubscribe(cacheChannels.lock, listener);
    }
  });

  it('gives a waiter a TimeoutError after hardTimeoutMs', async () => {
    const { caches } = instances(2, { distributedLock: true, hardTimeoutMs: 500 });
    const [a, b] = caches;
    await settle();
    void a?.getOrSet('k', () => new Promise(() => {})).catch(() => undefined);
    await settle();
    const waiting = b?.getOrSet('k', () => 'unused').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    expect(await waiting).toBeInstanceOf(TimeoutError);
  });

  it('takes the lock per call, and needs an L2 with leases', async () => {
    const { caches, l2 } = instances(1);
    await caches[0]?.getOrSet('k', () => 1, { distributedLock: true });
    expect(l2.calls.filter((call) => call.startsWith('lease'))).toEqual(['lease multi:k']);
    expect(() => createCache({ ttlMs: 1000, distributedLock: true })).toThrow(
      /`distributedLock` needs an l2 store with leases/,
    );
    const plain = createCache({ ttlMs: 1000, l2: memoryL2() });
    await expect(plain.getOrSet('k', () => 1, { distributedLock: true })).rejects.toThrow(
      'getOrSet: `options.distributedLock` needs an l2 store with leases',
    );
    expect(() =>
      // @ts-expect-error unknown lock setting
      createCache({ ttlMs: 1000, l2, distributedLock: { lease: 5 } }),
    ).toThrow(/`distributedLock.lease`/);
    // @ts-expect-error not a lock setting
    expect(() => createCache({ ttlMs: 1000, l2, distributedLock: 'yes' })).toThrow(
      /`distributedLock` must be a boolean or \{ leaseMs\?, pollMs\? \}/,
    );
  });
});
