import { describe, expect, it, vi } from 'vitest';
import { delay, useFakeTime } from '../test-support/fake-time.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import type { FactoryContext } from './cache.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

describe('getOrSet single flight', () => {
  it('calls the factory exactly once for 1,000 concurrent callers of one missing key', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const factory = vi.fn(async () => {
      await delay(50);
      return { id: 1 };
    });
    const results = Promise.all(
      Array.from({ length: 1000 }, () => cache.getOrSet('user:1', factory)),
    );
    await vi.advanceTimersByTimeAsync(50);
    const values = await results;
    expect(factory).toHaveBeenCalledTimes(1);
    expect(new Set(values).size).toBe(1);
    expect(values[0]).toEqual({ id: 1 });
    expect(cache.stats()).toMatchObject({ coalesced: 999, misses: 1, factory: { calls: 1 } });
  });

  it('shares one L2 lookup and one factory call, and writes both tiers', async () => {
    const l2 = memoryL2();
    const cache = createCache({ ttlMs: 1000, l2 });
    const factory = vi.fn(() => 'v');
    await Promise.all(Array.from({ length: 100 }, () => cache.getOrSet('k', factory)));
    expect(factory).toHaveBeenCalledTimes(1);
    expect(l2.calls).toEqual(['get default:k', 'set default:k']);
    expect(await createCache({ ttlMs: 1000, l2 }).get('k')).toBe('v');
  });

  it('runs again after the value expires, and not before', async () => {
    const cache = createCache({ ttlMs: 1000 });
    let version = 0;
    const factory = () => ++version;
    expect(await cache.getOrSet('k', factory)).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    expect(await cache.getOrSet('k', factory)).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await cache.getOrSet('k', factory)).toBe(2);
  });

  it('returns a factory result of undefined without storing it', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const factory = vi.fn((): string | undefined => undefined);
    expect(await cache.getOrSet('k', factory)).toBeUndefined();
    expect(await cache.getOrSet('k', factory)).toBeUndefined();
    expect(factory).toHaveBeenCalledTimes(2);
    expect(cache.stats().l1.entries).toBe(0);
  });

  it('lets the factory choose the TTL from the value (setTtl)', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    await cache.getOrSet('draft', ({ setTtl }) => {
      setTtl(100);
      return 'draft';
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.get('draft')).toBeUndefined();
    await expect(
      cache.getOrSet('bad', ({ setTtl }) => {
        setTtl(-1);
        return 1;
      }),
    ).rejects.toThrow('setTtl: `ttlMs` must be a positive integer (got -1)');
  });

  it('propagates the factory error unchanged to every caller outside grace', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const error = new Error('source down');
    const factory = vi.fn(async () => {
      await delay(10);
      throw error;
    });
    const results = Promise.allSettled([
      cache.getOrSet('k', factory),
      cache.getOrSet('k', factory),
    ]);
    await vi.advanceTimersByTimeAsync(10);
    expect(await results).toEqual([
      { status: 'rejected', reason: error },
      { status: 'rejected', reason: error },
    ]);
    expect(cache.stats().factory).toEqual({ calls: 1, errors: 1, timeouts: 0 });
  });

  it('rejects a bad factory or key with a ValidationError', async () => {
    const cache = createCache({ ttlMs: 1000 });
    // @ts-expect-error not a function
    await expect(cache.getOrSet('k', 5)).rejects.toThrow(
      'getOrSet: `factory` must be a function (got 5)',
    );
    await expect(cache.getOrSet('', () => 1)).rejects.toThrow(
      'getOrSet: `key` must be a non-empty string',
    );
    await expect(
      cache.getOrSet('k', () => 1, { softTimeoutMs: 50, hardTimeoutMs: 50 }),
    ).rejects.toThrow('`options.softTimeoutMs` must be less than hardTimeoutMs (50) (got 50)');
  });
});

describe('grace (stale-if-error)', () => {
  it('serves the stale value within graceMs when the factory fails, and the error after', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000, graceBackoffMs: 0 });
    await cache.getOrSet('k', () => 'old');
    await vi.advanceTimersByTimeAsync(1000 + 4999);
    const failing = () => Promise.reject(new Error('down'));
    expect(await cache.getOrSet('k', failing)).toBe('old');
    await vi.advanceTimersByTimeAsync(1);
    await expect(cache.getOrSet('k', failing)).rejects.toThrow('down');
    expect(cache.stats().staleServed).toBe(1);
  });

  it('does not serve a stale value to plain get', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.has('k')).toBe(false);
  });

  it('refreshes with the factory when it works again', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000, graceBackoffMs: 0 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1500);
    expect(await cache.getOrSet('k', () => Promise.reject(new Error('down')))).toBe('old');
    expect(await cache.getOrSet('k', () => 'new')).toBe('new');
    expect(await cache.get('k')).toBe('new');
  });

  it('backs off a failing source: no factory call for graceBackoffMs after a failure', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 60_000, graceBackoffMs: 2000 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1000);
    const failing = vi.fn(() => Promise.reject(new Error('down')));
    expect(await cache.getOrSet('k', failing)).toBe('old');
    expect(await cache.getOrSet('k', failing)).toBe('old');
    await vi.advanceTimersByTimeAsync(1999);
    expect(await cache.getOrSet('k', failing)).toBe('old');
    expect(failing).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await cache.getOrSet('k', failing)).toBe('old');
    expect(failing).toHaveBeenCalledTimes(2);
  });

  it('passes the stale value to the factory', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000 });
    await cache.set('k', { etag: 'v1' });
    await vi.advanceTimersByTimeAsync(1000);
    let seen: unknown;
    await cache.getOrSet('k', (context: FactoryContext) => {
      seen = context.staleValue;
      return { etag: 'v2' };
    });
    expect(seen).toEqual({ etag: 'v1' });
  });
});

describe('wrap', () => {
  it('caches a function by the key built from its arguments', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const lookup = vi.fn(async (id: number, locale: string) => `${id}-${locale}`);
    const cached = cache.wrap(lookup, { key: (id, locale) => `user:${id}:${locale}` });
    expect(await cached(1, 'en')).toBe('1-en');
    expect(await cached(1, 'en')).toBe('1-en');
    expect(await cached(2, 'en')).toBe('2-en');
    expect(lookup).toHaveBeenCalledTimes(2);
    expect(await cache.get('user:1:en')).toBe('1-en');
  });

  it('applies its TTL and rejects an invalid generated key', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    const cached = cache.wrap((id: string) => id, { key: (id) => id, ttlMs: 10 });
    await cached('a');
    await vi.advanceTimersByTimeAsync(10);
    expect(await cache.get('a')).toBeUndefined();
    await expect(cached('')).rejects.toThrow(
      'wrap: `options.key(...args)` must be a non-empty string',
    );
    // @ts-expect-error key must be a function
    expect(() => cache.wrap(() => 1, { key: 'k' })).toThrow(
      'wrap: `options.key` must be a function',
    );
  });
});

describe('writes during a load', () => {
  it('does not let a load that started before a set overwrite the newer value', async () => {
    const l2 = memoryL2();
    const cache = createCache({ ttlMs: 1000, l2 });
    const old = cache.getOrSet('k', () => delay(100).then(() => 'old'));
    await vi.advanceTimersByTimeAsync(10);
    await cache.set('k', 'new');
    await vi.advanceTimersByTimeAsync(90);
    expect(await old).toBe('old');
    expect(await cache.get('k')).toBe('new');
    expect(await createCache({ ttlMs: 1000, l2 }).get('k')).toBe('new');
  });

  it('does not let a load that started before a delete or clear write its value', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const deleted = cache.getOrSet('a', () => delay(100).then(() => 'a'));
    const cleared = cache.getOrSet('b', () => delay(100).then(() => 'b'));
    await vi.advanceTimersByTimeAsync(10);
    await cache.delete('a');
    await cache.clear();
    await vi.advanceTimersByTimeAsync(90);
    expect([await deleted, await cleared]).toEqual(['a', 'b']);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBeUndefined();
  });
});
