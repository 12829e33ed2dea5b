import { ConfigurationError, isRampartError, ValidationError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { useFakeTime } from '../test-support/fake-time.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { createCache } from './create-cache.ts';
import { memoryStore } from './memory-store.ts';

useFakeTime();

describe('createCache options', () => {
  it('names every bad option in one ConfigurationError', () => {
    const attempt = () =>
      createCache({
        ttlMs: -5,
        graceMs: 1.5,
        namespace: 'has space',
        jitter: 2,
        // @ts-expect-error a typo must be caught
        ttl: 5,
      });
    expect(attempt).toThrow(ConfigurationError);
    try {
      attempt();
    } catch (error) {
      const paths = (error as ConfigurationError).issues.map((issue) => issue.path);
      expect(paths).toEqual(
        expect.arrayContaining(['ttlMs', 'graceMs', 'namespace', 'jitter', 'ttl']),
      );
      expect((error as Error).message).toMatch(/^createCache: /);
      expect((error as Error).message).toContain('`ttlMs` must be a positive integer (got -5)');
    }
  });

  it('requires softTimeoutMs below hardTimeoutMs', () => {
    expect(() => createCache({ ttlMs: 1000, softTimeoutMs: 500, hardTimeoutMs: 500 })).toThrow(
      /`softTimeoutMs` must be less than `hardTimeoutMs`/,
    );
  });

  it('needs at least one tier', () => {
    expect(() => createCache({ ttlMs: 1000, l1: false })).toThrow(
      /`l1` must not be false without an l2/,
    );
  });

  it('rejects an l2 that is not a store and an l1 that is not a memoryStore', () => {
    // @ts-expect-error not a store
    expect(() => createCache({ ttlMs: 1000, l2: { get() {} } })).toThrow(
      /`l2` must be an L2 store/,
    );
    // @ts-expect-error not a memory store
    expect(() => createCache({ ttlMs: 1000, l1: { maxEntries: 5 } })).toThrow(
      /`l1` must be a memoryStore\(\) or false/,
    );
  });

  it('gives each memoryStore to one cache only', () => {
    const l1 = memoryStore({ maxEntries: 10 });
    createCache({ ttlMs: 1000, l1 });
    expect(() => createCache({ ttlMs: 1000, l1 })).toThrow(/already used by another cache/);
  });

  it('validates memoryStore options', () => {
    expect(() => memoryStore({ maxEntries: 0, maxBytes: -1 })).toThrow(
      /memoryStore: `maxEntries` must be a positive integer \(got 0\); `maxBytes` must be a positive integer \(got -1\)/,
    );
  });

  it('defaults name to the namespace', () => {
    const cache = createCache({ ttlMs: 1000, namespace: 'users' });
    expect(cache.name).toBe('users');
    expect(cache.namespace).toBe('users');
    expect(createCache({ ttlMs: 1000 }).namespace).toBe('default');
    expect(createCache({ ttlMs: 1000, name: 'sessions' }).name).toBe('sessions');
  });
});

describe('get, set, has, delete, clear', () => {
  it('stores and expires values after ttlMs', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await cache.set('a', { n: 1 });
    expect(await cache.get('a')).toEqual({ n: 1 });
    expect(await cache.has('a')).toBe(true);
    await vi.advanceTimersByTimeAsync(999);
    expect(await cache.get('a')).toEqual({ n: 1 });
    await vi.advanceTimersByTimeAsync(1);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.has('a')).toBe(false);
  });

  it('takes a TTL per call', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await cache.set('a', 1, { ttlMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(await cache.get('a')).toBeUndefined();
  });

  it('stores null as a value and refuses undefined', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await cache.set('n', null);
    expect(await cache.get('n')).toBeNull();
    expect(await cache.has('n')).toBe(true);
    await expect(cache.set('u', undefined)).rejects.toThrow(
      'set: `value` must not be undefined (use delete to remove a key) (got undefined)',
    );
  });

  it('rejects bad keys and bad call options with a ValidationError naming them', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await expect(cache.get('')).rejects.toThrow('get: `key` must be a non-empty string (got "")');
    // @ts-expect-error a number is not a key
    await expect(cache.set(42, 'x')).rejects.toBeInstanceOf(ValidationError);
    await expect(cache.set('k', 'x', { ttlMs: 0 })).rejects.toThrow(
      'set: `options.ttlMs` must be a positive integer (got 0)',
    );
    // @ts-expect-error not a signal
    await expect(cache.get('k', { signal: 'no' })).rejects.toThrow(
      '`options.signal` must be an AbortSignal',
    );
    // @ts-expect-error not an array
    await expect(cache.deleteMany('k')).rejects.toThrow('deleteMany: `keys` must be an array');
    await expect(cache.deleteMany(['a', ''])).rejects.toThrow(
      '`keys[1]` must be a non-empty string',
    );
  });

  it('deletes one key, many keys and everything', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await Promise.all(['a', 'b', 'c', 'd'].map((key) => cache.set(key, key)));
    await cache.delete('a');
    expect(await cache.get('a')).toBeUndefined();
    await cache.deleteMany(['b', 'c']);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('d')).toBe('d');
    await cache.clear();
    expect(await cache.get('d')).toBeUndefined();
    expect(cache.stats().l1.entries).toBe(0);
  });

  it('rejects calls with the signal reason when already aborted', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const reason = new Error('gone');
    await expect(cache.get('a', { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await expect(cache.set('a', 1, { signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
  });

  it('spreads TTLs with jitter, never beyond ttlMs', async () => {
    const random = vi.spyOn(Math, 'random');
    const cache = createCache({ ttlMs: 1000, jitter: 0.2 });
    random.mockReturnValue(0.5);
    await cache.set('a', 1);
    random.mockReturnValue(0);
    await cache.set('b', 1);
    await vi.advanceTimersByTimeAsync(900);
    expect(await cache.get('a')).toBeUndefined();
    expect(await cache.get('b')).toBe(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.get('b')).toBeUndefined();
  });

  it('keeps L1 within maxEntries and counts evictions', async () => {
    const cache = createCache({ ttlMs: 60_000, l1: memoryStore({ maxEntries: 50 }) });
    for (let index = 0; index < 500; index += 1) await cache.set(`k${index}`, index);
    const stats = cache.stats();
    expect(stats.l1.entries).toBeLessThanOrEqual(50);
    expect(stats.l1.evictions).toBe(500 - stats.l1.entries);
    expect(stats.l1.bytes).toBeGreaterThan(0);
  });

  it('rejects every call after close with an UnavailableError', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await cache.close();
    await cache.close();
    const error = await cache.get('a').catch((thrown: unknown) => thrown);
    expect(isRampartError(error, 'E_UNAVAILABLE')).toBe(true);
    await expect(cache.getOrSet('a', () => 1)).rejects.toThrow('Cache "default" is closed');
  });
});

describe('fidelity with an L2', () => {
  it('returns the serializer round trip from every tier and to every caller', async () => {
    const l2 = memoryL2();
    const writer = createCache({ ttlMs: 1000, l2 });
    const reader = createCache({ ttlMs: 1000, l2 });
    const date = new Date(0);
    const produced = await writer.getOrSet('d', () => ({
      at: date,
      missing: undefined,
      map: new Map(),
    }));
    const fromL1 = await writer.get('d');
    const fromL2 = await reader.get('d');
    const expected = { at: '1970-01-01T00:00:00.000Z', map: {} };
    expect(produced).toEqual(expected);
    expect(fromL1).toEqual(expected);
    expect(fromL2).toEqual(expected);
  });

  it('keeps references in an L1-only cache', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const value = { at: new Date(0) };
    await cache.set('d', value);
    expect(await cache.get('d')).toBe(value);
  });

  it('rejects a value the serializer cannot encode with a ValidationError', async () => {
    const cache = createCache({ ttlMs: 1000, l2: memoryL2() });
    await expect(cache.set('b', { big: 1n })).rejects.toThrow(
      /set: `value` must be serializable by the cache's serializer/,
    );
    await expect(cache.getOrSet('b', () => 1n)).rejects.toBeInstanceOf(ValidationError);
  });

  it('uses a custom serializer in both directions', async () => {
    const l2 = memoryL2();
    const serializer = {
      serialize: (value: unknown) => `v:${JSON.stringify(value)}`,
      deserialize: (data: string) => JSON.parse(data.slice(2)) as unknown,
    };
    const writer = createCache({ ttlMs: 1000, l2, serializer });
    const reader = createCache({ ttlMs: 1000, l2, serializer });
    await writer.set('k', [1, 2]);
    expect([...l2.records.values()][0]?.data).toMatch(/\nv:\[1,2\]$/);
    expect(await reader.get('k')).toEqual([1, 2]);
  });

  it('backfills L1 from L2 with the remaining TTL, not a fresh one', async () => {
    const l2 = memoryL2();
    const writer = createCache({ ttlMs: 1000, l2 });
    const reader = createCache({ ttlMs: 1000, l2 });
    await writer.set('k', 'v');
    await vi.advanceTimersByTimeAsync(700);
    expect(await reader.get('k')).toBe('v');
    expect(reader.stats().l2.hits).toBe(1);
    l2.mode = 'fail';
    await vi.advanceTimersByTimeAsync(299);
    expect(await reader.get('k')).toBe('v');
    expect(reader.stats().l1.hits).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await reader.get('k')).toBeUndefined();
  });

  it('keeps the grace period through L2, so another process can serve the stale value', async () => {
    const l2 = memoryL2();
    const writer = createCache({ ttlMs: 1000, graceMs: 5000, l2 });
    const reader = createCache({ ttlMs: 1000, graceMs: 5000, l2 });
    await writer.set('k', 'old');
    await vi.advanceTimersByTimeAsync(3000);
    await expect(
      reader.getOrSet('k', () => {
        throw new Error('source down');
      }),
    ).resolves.toBe('old');
    expect(reader.stats().staleServed).toBe(1);
  });

  it('treats an undecodable L2 record as a miss', async () => {
    const l2 = memoryL2();
    l2.records.set('default:k', { data: 'garbage', expiresAt: Date.now() + 10_000 });
    const cache = createCache({ ttlMs: 1000, l2 });
    expect(await cache.get('k')).toBeUndefined();
    expect(await cache.getOrSet('k', () => 'fresh')).toBe('fresh');
    expect(cache.stats().l2.errors).toBe(2);
    expect(cache.stats().l2.state).toBe('healthy');
  });

  it('partitions L2 by namespace and clears only its own', async () => {
    const l2 = memoryL2();
    const users = createCache({ ttlMs: 1000, namespace: 'users', l2 });
    const orders = createCache({ ttlMs: 1000, namespace: 'orders', l2 });
    await users.set('1', 'ada');
    await orders.set('1', 'order');
    await users.clear();
    expect(await users.get('1')).toBeUndefined();
    expect(await orders.get('1')).toBe('order');
    expect(l2.calls).toContain('clear users');
  });

  it('works without L1', async () => {
    const l2 = memoryL2();
    const cache = createCache({ ttlMs: 1000, l1: false, l2 });
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    expect(await cache.getOrSet('k', () => 2)).toBe(1);
    expect(cache.stats().l1).toEqual({ hits: 0, misses: 0, entries: 0, bytes: 0, evictions: 0 });
  });
});

describe('close', () => {
  it('waits for pending L2 writes, at most l2TimeoutMs', async () => {
    const l2 = memoryL2();
    const cache = createCache({ ttlMs: 1000, l2, l2TimeoutMs: 100 });
    await cache.getOrSet('a', () => 1);
    l2.mode = 'hang';
    const loaded = cache.getOrSet('b', () => 2);
    await vi.advanceTimersByTimeAsync(100);
    expect(await loaded).toBe(2);
    expect(l2.calls.at(-1)).toBe('set default:b');
    let closed = false;
    void cache.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(99);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(closed).toBe(true);
  });
});
