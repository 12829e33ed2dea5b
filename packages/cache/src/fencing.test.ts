import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

/** A factory whose result the test releases. */
function deferred<T>() {
  let release: (value: T) => void = () => {};
  const factory = vi.fn(
    () =>
      new Promise<T>((resolve) => {
        release = resolve;
      }),
  );
  return { factory, release: (value: T) => release(value) };
}

function pair(options: Parameters<typeof instances>[1] = {}, l2Options = {}) {
  const group = instances(2, options, l2Options);
  const [a, b] = group.caches;
  if (a === undefined || b === undefined) throw new Error('no caches');
  return { ...group, a, b };
}

describe('fencing', () => {
  it('keeps a load that started before a delete elsewhere out of every tier', async () => {
    const { a, b } = pair();
    await settle();
    const { factory, release } = deferred<string>();
    const loading = b.getOrSet('k', factory);
    await settle();
    expect(factory).toHaveBeenCalledTimes(1);
    await a.delete('k');
    await settle();
    release('loaded-before-delete');
    expect(await loading).toBe('loaded-before-delete');
    await settle();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBeUndefined();
    expect(b.stats().fencedWrites).toBe(1);
  });

  it('refuses the L2 write of an older load even when the bus message has not arrived', async () => {
    const { a, b, bus } = pair();
    await settle();
    const { factory, release } = deferred<string>();
    const loading = b.getOrSet('k', factory);
    await settle();
    bus.subscriptions[1]?.cut(); // b will not hear about the delete
    await a.delete('k');
    release('stale');
    expect(await loading).toBe('stale');
    await settle();
    expect(b.stats().fencedWrites).toBe(1);
    expect(await a.get('k')).toBeUndefined();
    // b's optimistic L1 copy was taken back when L2 refused the write.
    expect(b.stats().l1.entries).toBe(0);
  });

  it('does not let an older load overwrite a newer set from another instance', async () => {
    const { a, b } = pair();
    await settle();
    await a.set('k', 'old', { ttlMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    const { factory, release } = deferred<string>();
    const loading = b.getOrSet('k', factory);
    await settle();
    await a.set('k', 'newer');
    release('from-older-load');
    await loading;
    await settle();
    expect(await a.get('k')).toBe('newer');
    expect(await b.get('k')).toBe('newer');
  });

  it('does not write a load that started before clear()', async () => {
    const { a, b } = pair();
    await settle();
    const { factory, release } = deferred<string>();
    const loading = b.getOrSet('k', factory);
    await settle();
    await a.clear();
    release('before-clear');
    await loading;
    await settle();
    expect(await a.get('k')).toBeUndefined();
    expect(await b.get('k')).toBeUndefined();
  });

  it('starts a new load for callers that arrive after a delete, instead of joining the older one', async () => {
    const cache = createCache({ ttlMs: 60_000 });
    const first = deferred<string>();
    const second = deferred<string>();
    const older = cache.getOrSet('k', first.factory);
    await cache.delete('k');
    const newer = cache.getOrSet('k', second.factory);
    expect(second.factory).toHaveBeenCalledTimes(1);
    second.release('new');
    first.release('old');
    expect([await older, await newer]).toEqual(['old', 'new']);
    expect(await cache.get('k')).toBe('new');
  });

  it('writes nothing to L2 for a load of an empty key that outlives the tombstones', async () => {
    const { a, b, l2 } = pair({}, { tombstoneTtlMs: 1000 });
    await settle();
    const { factory, release } = deferred<string>();
    const loading = a.getOrSet('k', factory);
    await settle();
    await vi.advanceTimersByTimeAsync(1000);
    release('slow');
    expect(await loading).toBe('slow');
    await settle();
    expect(a.stats().fencedWrites).toBe(1);
    expect(l2.records.has('multi:k')).toBe(false);
    expect(await b.get('k')).toBeUndefined();
  });

  /**
   * The invariant, over random interleavings of loads, factory completions, sets, deletes and
   * reads on three instances, some of them cut off the bus at times: once a set or delete has
   * completed, L2 never holds a value produced by a factory called before it, and no instance
   * connected to the bus returns one.
   */
  it('never shows a fenced factory result after a delete or set (property)', async () => {
    const operation = fc.oneof(
      fc.record({ kind: fc.constant('load' as const), at: fc.nat(2), key: fc.nat(1) }),
      fc.record({ kind: fc.constant('complete' as const), which: fc.nat(20) }),
      fc.record({ kind: fc.constant('set' as const), at: fc.nat(2), key: fc.nat(1) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(2), key: fc.nat(1) }),
      fc.record({ kind: fc.constant('get' as const), at: fc.nat(2), key: fc.nat(1) }),
      // Cut an instance off the bus (it misses messages) or bring it back (L1 is flushed).
      fc.record({ kind: fc.constant('cut' as const), at: fc.nat(2) }),
      fc.record({ kind: fc.constant('restore' as const), at: fc.nat(2) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 40 }), async (operations) => {
        const group = instances(3, { ttlMs: 3_600_000 });
        const reader = createCache({
          ttlMs: 3_600_000,
          namespace: 'multi',
          l1: false,
          l2: group.l2,
        });
        await settle();
        let epoch = 0;
        const invalidatedAt = new Map<string, number>();
        const pending: { release: (value: unknown) => void }[] = [];
        const check = (key: string, value: unknown, where: string): void => {
          if (value === undefined) return;
          const born = (value as { born: number }).born;
          const floor = invalidatedAt.get(key) ?? 0;
          if (born < floor) {
            throw new Error(
              `${where} read ${key} born at ${born} after an invalidation at ${floor}`,
            );
          }
        };
        for (const operation of operations) {
          if (operation.kind === 'complete') {
            pending.splice(operation.which % Math.max(1, pending.length), 1)[0]?.release(undefined);
          } else if (operation.kind === 'cut') {
            group.bus.subscriptions[operation.at]?.cut();
          } else if (operation.kind === 'restore') {
            group.bus.subscriptions[operation.at]?.restore();
          } else {
            const cache = group.caches[operation.at];
            const key = `k${operation.key}`;
            if (cache === undefined) continue;
            if (operation.kind === 'load') {
              void cache
                .getOrSet(key, () => {
                  const born = epoch;
                  return new Promise((resolve) => {
                    pending.push({ release: () => resolve({ born }) });
                  });
                })
                .catch(() => undefined);
            } else if (operation.kind === 'set') {
              epoch += 1;
              invalidatedAt.set(key, epoch);
              await cache.set(key, { born: epoch });
            } else if (operation.kind === 'delete') {
              epoch += 1;
              invalidatedAt.set(key, epoch);
              await cache.delete(key);
            } else {
              const value = await cache.get(key);
              // An instance cut off the bus may serve a missed invalidation (for busDownTtlMs).
              if (group.bus.subscriptions[operation.at]?.connected === true) {
                check(key, value, `instance ${operation.at}`);
              }
            }
          }
          await settle();
          for (const key of ['k0', 'k1']) check(key, await reader.get(key), 'L2');
        }
        for (const { release } of pending.splice(0)) release(undefined);
        for (const subscription of group.bus.subscriptions) subscription.restore();
        await settle();
        for (const [index, cache] of group.caches.entries()) {
          for (const key of ['k0', 'k1']) check(key, await cache.get(key), `instance ${index}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});
