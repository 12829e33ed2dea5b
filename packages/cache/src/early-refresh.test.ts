import { describe, expect, it, vi } from 'vitest';
import { delay, settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { createCache } from './create-cache.ts';
import { createEntry } from './internal/entry.ts';
import { shouldRefreshEarly } from './internal/l1-read.ts';

useFakeTime();

describe('early refresh', () => {
  it('refreshes a hot value in the background shortly before it expires, once', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(Math.exp(-1)); // ln(random()) = -1
    const cache = createCache({ ttlMs: 1000, earlyRefresh: true });
    let version = 0;
    const factory = vi.fn(async () => {
      await delay(100); // the factory takes 100 ms: XFetch refreshes from 100 ms before expiry
      return ++version;
    });
    const first = cache.getOrSet('k', factory);
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBe(1); // stored at t=100, expires at t=1100
    await vi.advanceTimersByTimeAsync(899); // t=999: 101 ms left
    expect(await cache.getOrSet('k', factory)).toBe(1);
    expect(factory).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1); // t=1000: 100 ms left
    const hits = await Promise.all(Array.from({ length: 50 }, () => cache.getOrSet('k', factory)));
    expect(hits.every((value) => value === 1)).toBe(true);
    expect(factory).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.getOrSet('k', factory)).toBe(2);
    expect(cache.stats()).toMatchObject({ earlyRefreshes: 1, misses: 1, staleServed: 0 });
  });

  it('never refreshes a value whose load time is unknown, or when turned off', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.000_001);
    const cache = createCache({ ttlMs: 1000, earlyRefresh: true });
    await cache.set('set', 'v');
    const factory = vi.fn(() => 'other');
    await vi.advanceTimersByTimeAsync(999);
    expect(await cache.getOrSet('set', factory)).toBe('v');
    expect(factory).not.toHaveBeenCalled();
    const slow = () => delay(100).then(() => 'slow');
    const loaded = cache.getOrSet('loaded', slow);
    await vi.advanceTimersByTimeAsync(100);
    await loaded;
    expect(await cache.getOrSet('loaded', factory, { earlyRefresh: false })).toBe('slow');
    expect(factory).not.toHaveBeenCalled();
  });

  it('keeps the value when a background refresh fails, and backs off', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1e-300); // always within the window
    const cache = createCache({ ttlMs: 10_000, graceBackoffMs: 1000 });
    const load = cache.getOrSet('k', () => delay(100).then(() => 'v'));
    await vi.advanceTimersByTimeAsync(100);
    await load;
    const failing = vi.fn(() => Promise.reject(new Error('down')));
    expect(await cache.getOrSet('k', failing, { earlyRefresh: true })).toBe('v');
    await settle();
    expect(await cache.getOrSet('k', failing, { earlyRefresh: true })).toBe('v');
    expect(failing).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await cache.getOrSet('k', failing, { earlyRefresh: true })).toBe('v');
    expect(failing).toHaveBeenCalledTimes(2);
    expect(cache.stats().factory.errors).toBe(2);
  });

  it('leaves the refresh to the instance that holds the lock', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(1e-300);
    const { caches } = instances(2, { earlyRefresh: true, distributedLock: true, ttlMs: 10_000 });
    const [a, b] = caches;
    await settle();
    const first = a?.getOrSet('k', () => delay(100).then(() => 'v1'));
    await vi.advanceTimersByTimeAsync(100);
    await first;
    await settle();
    expect(await b?.get('k')).toBe('v1');
    const refresh = vi.fn(() => delay(100).then(() => 'v2'));
    expect(await a?.getOrSet('k', refresh)).toBe('v1');
    await settle();
    expect(await b?.getOrSet('k', refresh)).toBe('v1');
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(await b?.getOrSet('k', refresh)).toBe('v2');
  });

  it('follows XFetch: the closer to expiry and the slower the load, the likelier', () => {
    const entry = { ...createEntry('v', 0, 1000, 0, { loadMs: 100 }) };
    const random = vi.spyOn(Math, 'random');
    random.mockReturnValue(0.5); // -ln(0.5) ≈ 0.69: refresh within ~69 ms of expiry
    expect(shouldRefreshEarly(entry, 930, 1)).toBe(false);
    expect(shouldRefreshEarly(entry, 931, 1)).toBe(true);
    expect(shouldRefreshEarly(entry, 862, 2)).toBe(true); // β = 2 doubles the window
    random.mockReturnValue(0.999); // rarely: only in the last 0.1 ms
    expect(shouldRefreshEarly(entry, 999, 1)).toBe(false);
    random.mockReturnValue(0.001); // -ln(0.001) ≈ 6.9: within ~690 ms of expiry
    expect(shouldRefreshEarly(entry, 311, 1)).toBe(true);
    expect(shouldRefreshEarly({ ...entry, retryAt: 400 }, 311, 1)).toBe(false);
  });

  it('validates its settings', () => {
    expect(() => createCache({ ttlMs: 1000, earlyRefresh: { beta: 0 } })).toThrow(
      /`earlyRefresh.beta` must be a positive number/,
    );
  });
});
