import { TimeoutError, ValidationError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { delay, settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import type { ManyFactoryContext } from './cache.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

const upper = ({ keys }: { keys: readonly string[] }) =>
  new Map(keys.map((key) => [key, key.toUpperCase()]));

describe('getMany', () => {
  it('answers from L1, then one L2 read for the misses, in the order asked', async () => {
    const l2 = memoryL2({ features: true });
    const writer = createCache({ ttlMs: 60_000, l2 });
    const reader = createCache({ ttlMs: 60_000, l2 });
    await Promise.all(['a', 'b', 'c'].map((key) => writer.set(key, key)));
    await reader.get('a');
    l2.calls.length = 0;
    expect(await reader.getMany(['c', 'a', 'missing', 'b', 'c'])).toEqual([
      'c',
      'a',
      undefined,
      'b',
      'c',
    ]);
    expect(l2.calls).toEqual(['read-many default:c,missing,b']);
    expect(reader.stats()).toMatchObject({ l1: { hits: 1 }, l2: { hits: 3 }, misses: 1 });
    l2.calls.length = 0;
    expect(await reader.getMany(['a', 'b', 'c'])).toEqual(['a', 'b', 'c']);
    expect(l2.calls).toEqual([]);
  });

  it('never serves a stale value', async () => {
    const cache = createCache({ ttlMs: 100, graceMs: 60_000 });
    await cache.set('a', 1);
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.getMany(['a'])).toEqual([undefined]);
  });

  it('works with a store without batch reads, one get per key', async () => {
    const l2 = memoryL2();
    const cache = createCache({ ttlMs: 60_000, l2, l1: false });
    await cache.set('a', 1);
    expect(await cache.getMany(['a', 'b'])).toEqual([1, undefined]);
    expect(l2.calls.slice(-2)).toEqual(['get default:a', 'get default:b']);
  });
});

describe('getOrSetMany', () => {
  it('calls the factory once with the keys no tier had, and writes them back to both tiers', async () => {
    const l2 = memoryL2({ features: true });
    const cache = createCache({ ttlMs: 60_000, l2 });
    const other = createCache({ ttlMs: 60_000, l2 });
    await cache.set('a', 'from-l1');
    await other.set('b', 'from-l2');
    l2.calls.length = 0;
    const factory = vi.fn(upper);
    expect(await cache.getOrSetMany(['a', 'b', 'c', 'd', 'c'], factory)).toEqual([
      'from-l1',
      'from-l2',
      'C',
      'D',
      'C',
    ]);
    expect(factory).toHaveBeenCalledTimes(1);
    expect(factory.mock.calls[0]?.[0].keys).toEqual(['c', 'd']);
    await settle();
    expect(l2.calls).toEqual(['read-many default:b,c,d', 'write-many default:c,d']);
    expect(await other.getMany(['c', 'd'])).toEqual(['C', 'D']);
    expect(cache.stats()).toMatchObject({ factory: { calls: 1 }, misses: 2 });
  });

  it('accepts a plain object, and stores nothing for keys the factory leaves out', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    const factory = vi.fn(async (_context: ManyFactoryContext) => ({ a: 1, b: undefined }));
    expect(await cache.getOrSetMany(['a', 'b', 'c'], factory)).toEqual([1, undefined, undefined]);
    expect(await cache.getOrSetMany(['a', 'b', 'c'], factory)).toEqual([1, undefined, undefined]);
    expect(factory.mock.calls.map(([context]) => context.keys)).toEqual([
      ['a', 'b', 'c'],
      ['b', 'c'],
    ]);
  });

  it('joins loads in flight, and lets concurrent getOrSet calls join its own', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    const single = vi.fn(() => delay(50).then(() => 'single'));
    const batch = vi.fn(({ keys }: { keys: readonly string[] }) =>
      delay(50).then(() => new Map(keys.map((key) => [key, `batch:${key}`]))),
    );
    const a = cache.getOrSet('a', single);
    const many = cache.getOrSetMany(['a', 'b', 'c'], batch);
    const c = cache.getOrSet('c', single);
    await vi.advanceTimersByTimeAsync(50);
    expect(await many).toEqual(['single', 'batch:b', 'batch:c']);
    expect([await a, await c]).toEqual(['single', 'batch:c']);
    expect(single).toHaveBeenCalledTimes(1);
    expect(batch).toHaveBeenCalledTimes(1);
    expect(batch.mock.calls[0]?.[0].keys).toEqual(['b', 'c']);
    expect(cache.stats().coalesced).toBe(2);
  });

  it('falls back to stale values per key when the factory fails', async () => {
    const cache = createCache({ ttlMs: 100, graceMs: 60_000 });
    await cache.set('a', 'old-a');
    await vi.advanceTimersByTimeAsync(100);
    const error = new Error('source down');
    const results = await Promise.allSettled([
      cache.getOrSetMany(['a'], () => Promise.reject(error)),
      cache.getOrSetMany(['b'], () => Promise.reject(error)),
    ]);
    expect(results).toEqual([
      { status: 'fulfilled', value: ['old-a'] },
      { status: 'rejected', reason: error },
    ]);
    const stale = vi.fn(({ staleValues }) => new Map([['a', staleValues.get('a')]]));
    await vi.advanceTimersByTimeAsync(1000);
    expect(await cache.getOrSetMany(['a'], stale)).toEqual(['old-a']);
    expect(stale.mock.calls[0]?.[0].staleValues).toEqual(new Map([['a', 'old-a']]));
  });

  it('rejects with a ValidationError when the factory returns neither a Map nor an object', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    // @ts-expect-error an array is not a result
    const attempt = cache.getOrSetMany(['a'], () => [1]);
    await expect(attempt).rejects.toBeInstanceOf(ValidationError);
    await expect(attempt).rejects.toThrow(
      'getOrSetMany: `factory()` must return a Map or an object',
    );
  });

  it('applies hardTimeoutMs per key and aborts the factory once every key gave up', async () => {
    const cache = createCache({ ttlMs: 60_000, hardTimeoutMs: 100 });
    let signal: AbortSignal | undefined;
    const attempt = cache
      .getOrSetMany(['a', 'b'], async (context) => {
        signal = context.signal;
        await delay(1000, context.signal);
        return new Map();
      })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(100);
    expect(await attempt).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
  });

  it('tags what it loads', async () => {
    const { caches } = instances(2);
    const [a, b] = caches;
    await settle();
    await a?.getOrSetMany(['x', 'y'], upper, { tags: ['letters'] });
    expect(await b?.getMany(['x', 'y'])).toEqual(['X', 'Y']);
    await b?.deleteByTag('letters');
    await settle();
    expect(await a?.getMany(['x', 'y'])).toEqual([undefined, undefined]);
  });

  it('validates its arguments', async () => {
    const cache = createCache({ ttlMs: 1000 });
    // @ts-expect-error not an array
    await expect(cache.getOrSetMany('a', upper)).rejects.toThrow('`keys` must be an array');
    await expect(cache.getOrSetMany(['a', ''], upper)).rejects.toThrow(
      'getOrSetMany: `keys[1]` must be a non-empty string',
    );
    // @ts-expect-error not a function
    await expect(cache.getOrSetMany(['a'], 5)).rejects.toThrow('`factory` must be a function');
    expect(await cache.getOrSetMany([], upper)).toEqual([]);
  });
});
