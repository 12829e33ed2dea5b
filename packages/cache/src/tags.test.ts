import { describe, expect, it, vi } from 'vitest';
import { delay, settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

function three(options: Parameters<typeof instances>[1] = {}) {
  const group = instances(3, options);
  const [a, b, c] = group.caches;
  if (a === undefined || b === undefined || c === undefined) throw new Error('no caches');
  return { ...group, a, b, c };
}

describe('tags', () => {
  it('hides tagged values in every tier and instance after deleteByTag, and nothing else', async () => {
    const { a, b, c } = three();
    await settle();
    await a.set('p:1', 'one', { tags: ['products', 'shop:1'] });
    await a.set('p:2', 'two', { tags: ['products'] });
    await a.set('o:1', 'order', { tags: ['orders'] });
    await a.set('plain', 'plain');
    expect(await b.getMany(['p:1', 'p:2', 'o:1', 'plain'])).toEqual([
      'one',
      'two',
      'order',
      'plain',
    ]);

    await a.deleteByTag('shop:1');
    await settle();
    expect(await a.get('p:1')).toBeUndefined(); // L1 of the invalidating instance
    expect(await b.get('p:1')).toBeUndefined(); // another instance's L1 copy
    expect(await c.get('p:1')).toBeUndefined(); // an instance that reads L2
    expect(await c.getMany(['p:2', 'o:1', 'plain'])).toEqual(['two', 'order', 'plain']);

    await b.deleteByTag(['products', 'orders']);
    await settle();
    for (const cache of [a, b, c]) {
      expect(await cache.getMany(['p:2', 'o:1', 'plain'])).toEqual([undefined, undefined, 'plain']);
    }
  });

  it('never serves a deleted tag from grace, unless the invalidation was soft', async () => {
    const { a, b } = three({ graceMs: 60_000 });
    await settle();
    const failing = () => Promise.reject(new Error('source down'));
    await a.getOrSet('hard', () => 'old', { tags: ['t1'] });
    await a.getOrSet('soft', () => 'old', { tags: ['t2'] });
    expect(await b.get('hard')).toBe('old');
    await a.deleteByTag('t1');
    await a.deleteByTag('t2', { soft: true });
    await settle();
    for (const cache of [a, b]) {
      await expect(cache.getOrSet('hard', failing, { tags: ['t1'] })).rejects.toThrow(
        'source down',
      );
      // Soft: stale, so not served by get, but it stands in for a failing factory.
      expect(await cache.get('soft')).toBeUndefined();
      expect(await cache.getOrSet('soft', failing, { tags: ['t2'] })).toBe('old');
    }
    expect(await b.getOrSet('soft', () => 'new', { tags: ['t2'] })).toBe('new');
  });

  it('makes a hard invalidation win over an earlier soft one', async () => {
    const { a } = three({ graceMs: 60_000 });
    await settle();
    await a.set('k', 'old', { tags: ['t'] });
    await a.deleteByTag('t', { soft: true });
    await a.deleteByTag('t');
    await expect(a.getOrSet('k', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
  });

  it('keeps a load that started before deleteByTag from writing its value', async () => {
    const { a, b, l2 } = three();
    await settle();
    const loading = b.getOrSet('k', () => delay(100).then(() => 'stale'), { tags: ['t'] });
    await vi.advanceTimersByTimeAsync(10);
    await a.deleteByTag('t');
    await vi.advanceTimersByTimeAsync(90);
    expect(await loading).toBe('stale'); // its own callers asked before the invalidation
    await settle();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBeUndefined();
    expect(b.stats().fencedWrites).toBe(1);
    // Whatever reached L2 carries the old tag version: no instance serves it.
    const reader = createCache({ ttlMs: 60_000, namespace: 'multi', l2, l1: false });
    expect(await reader.get('k')).toBeUndefined();
  });

  it('starts a new load for callers that come after deleteByTag', async () => {
    const { a } = three();
    await settle();
    let version = 0;
    const factory = () => delay(100).then(() => ++version);
    const first = a.getOrSet('k', factory, { tags: ['t'] });
    await vi.advanceTimersByTimeAsync(10);
    await a.deleteByTag('t');
    const second = a.getOrSet('k', factory, { tags: ['t'] });
    await vi.advanceTimersByTimeAsync(100);
    expect([await first, await second]).toEqual([1, 2]);
    expect(await a.get('k')).toBe(2);
  });

  it('reads tag versions from L2 once, then trusts them while the bus is connected', async () => {
    const { a, b, l2 } = three({ ttlMs: 600_000 });
    await settle();
    await a.set('k', 1, { tags: ['t'] });
    expect(await b.get('k')).toBe(1);
    const tagReads = () => l2.calls.filter((call) => call.startsWith('tags')).length;
    const before = tagReads();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await b.get('k')).toBe(1);
    expect(await b.getOrSet('k', () => 2, { tags: ['t'] })).toBe(1);
    expect(tagReads()).toBe(before);
    // Remembered versions are re-read after a minute even with the bus up.
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await b.get('k')).toBe(1);
    expect(tagReads()).toBe(before + 1);
  });

  it('re-reads tag versions after busDownTtlMs without a bus', async () => {
    const l2 = memoryL2({ features: true });
    const a = createCache({ ttlMs: 600_000, namespace: 'n', l2, busDownTtlMs: 1000 });
    const b = createCache({ ttlMs: 600_000, namespace: 'n', l2, busDownTtlMs: 1000 });
    await a.set('k', 1, { tags: ['t'] });
    expect(await b.get('k')).toBe(1);
    await a.deleteByTag('t');
    // No bus: b's copy is served until its remembered tag version is no longer trusted.
    expect(await b.get('k')).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await b.get('k')).toBeUndefined();
  });

  it('works in an L1-only cache', async () => {
    const cache = createCache({ ttlMs: 60_000, graceMs: 60_000 });
    await cache.set('a', 1, { tags: ['x'] });
    await cache.set('b', 2, { tags: ['y'] });
    expect(await cache.getOrSet('c', () => 3, { tags: ['x', 'y'] })).toBe(3);
    await cache.deleteByTag('x');
    expect(await cache.getMany(['a', 'b', 'c'])).toEqual([undefined, 2, undefined]);
    await expect(
      cache.getOrSet('a', () => Promise.reject(new Error('down')), { tags: ['x'] }),
    ).rejects.toThrow('down');
    await cache.deleteByTag('y', { soft: true });
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.getOrSet('b', () => Promise.reject(new Error('down')))).toBe(2);
  });

  it('hides tagged values locally when L2 cannot be reached for deleteByTag', async () => {
    const l2 = memoryL2({ features: true });
    const cache = createCache({ ttlMs: 60_000, l2 });
    await cache.set('k', 1, { tags: ['t'] });
    l2.mode = 'fail';
    await cache.deleteByTag('t');
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.stats().l2.errors).toBeGreaterThan(0);
  });

  it('validates tags', async () => {
    const cache = createCache({ ttlMs: 1000 });
    await expect(cache.deleteByTag('')).rejects.toThrow(
      'deleteByTag: `tags[0]` must be a non-empty string',
    );
    // @ts-expect-error not a tag list
    await expect(cache.deleteByTag(5)).rejects.toThrow('deleteByTag: `tags` must be an array');
    // @ts-expect-error soft is a boolean
    await expect(cache.deleteByTag('t', { soft: 'yes' })).rejects.toThrow(
      '`options.soft` must be a boolean',
    );
    await expect(cache.set('k', 1, { tags: ['ok', ''] })).rejects.toThrow(
      'set: `options.tags[1]` must be a non-empty string',
    );
    // @ts-expect-error tags is an array
    await expect(cache.getOrSet('k', () => 1, { tags: 'one' })).rejects.toThrow(
      'getOrSet: `options.tags` must be an array of tags',
    );
    await cache.deleteByTag([]);
  });

  it('needs an L2 that keeps tag versions, when there is an L2', async () => {
    const cache = createCache({ ttlMs: 1000, l2: memoryL2() });
    await expect(cache.set('k', 1, { tags: ['t'] })).rejects.toThrow(
      'set: `options.tags` needs an l2 store with tags (tagVersions, invalidateTags), e.g. redisStore()',
    );
    await expect(cache.deleteByTag('t')).rejects.toThrow('deleteByTag: `tags` needs an l2 store');
    await expect(cache.getOrSet('k', () => 1, { tags: ['t'] })).rejects.toThrow('needs an l2');
    await cache.set('k', 1);
  });
});
