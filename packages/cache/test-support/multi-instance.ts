/**
 * The multi-instance behaviour (bus, tags, fencing, distributed lock, batches), run against
 * a real single node (in the package's tests) and a real 3-master Cluster
 * (tests/cache-cluster.test.ts): several caches in one process, each on its own client, as
 * separate instances would be.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { CacheOptions } from '../src/index.ts';
import { keySlot } from '../src/redis/cluster-slot.ts';
import type { RedisClient } from '../src/redis.ts';
import { redisBus } from '../src/redis.ts';
import { pump, pumpUntil, useFakeTimersWithRealIo } from './fault-load.ts';
import { type Instance, InstancePool, type MultiInstanceTarget } from './instance-pool.ts';

export type { MultiInstanceTarget } from './instance-pool.ts';

let names = 0;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeMultiInstance(
  label: string,
  setup: () => Promise<MultiInstanceTarget>,
): void {
  describe(label, () => {
    let target: MultiInstanceTarget;
    let pool: InstancePool;

    beforeAll(async () => {
      target = await setup();
      pool = new InstancePool(target);
    });
    afterAll(async () => {
      vi.useRealTimers();
      await pool?.close();
      await target?.stop();
    });

    const open = (namespace: string, options?: Partial<CacheOptions>) =>
      pool.open(namespace, options);
    const openMany = (count: number, options?: Partial<CacheOptions>) =>
      pool.openMany(count, options);
    const connected = (opened: readonly Instance[]) => pool.connected(opened);
    const delivered = (opened: readonly Instance[]) => pool.delivered(opened);
    const everyNode = (client: RedisClient, ...args: (string | number)[]) =>
      pool.everyNode(client, ...args);

    it("drops the other instances' L1 copies within the bus delivery time after a set", async () => {
      const [a, b, c] = await openMany(3);
      if (a === undefined || b === undefined || c === undefined) throw new Error('no instances');
      await a.cache.set('k', 'v1');
      await delivered([a, b, c]);
      expect(await b.cache.get('k')).toBe('v1');
      expect(await c.cache.get('k')).toBe('v1');
      expect(b.cache.stats().l1.entries).toBe(1);
      await a.cache.set('k', 'v2');
      await delivered([a, b, c]);
      expect(b.cache.stats().l1.entries).toBe(0);
      expect(c.cache.stats().l1.entries).toBe(0);
      expect(await b.cache.get('k')).toBe('v2');
      expect(await c.cache.get('k')).toBe('v2');
      await a.cache.delete('k');
      await delivered([a, b, c]);
      expect(await b.cache.get('k')).toBeUndefined();
    });

    it('propagates clear() through the bus at once, to L1 and to L2 reads', async () => {
      const [a, b] = await openMany(2);
      if (a === undefined || b === undefined) throw new Error('no instances');
      await a.cache.set('k', 1);
      expect(await b.cache.get('k')).toBe(1);
      await a.cache.clear();
      await delivered([a, b]);
      // b re-reads the generation at once although generationRefreshMs is ten minutes.
      expect(await b.cache.get('k')).toBeUndefined();
      await b.cache.set('k', 2);
      expect(await a.cache.get('k')).toBe(2);
    });

    it('hides tagged values on every instance after deleteByTag, including from grace', async () => {
      const [a, b, c] = await openMany(3, { graceMs: 600_000 });
      if (a === undefined || b === undefined || c === undefined) throw new Error('no instances');
      await a.cache.getOrSet('p:1', () => 'one', { tags: ['products'] });
      await a.cache.set('p:2', 'two', { tags: ['products', 'sale'] });
      await a.cache.set('o:1', 'order', { tags: ['orders'] });
      expect(await b.cache.getMany(['p:1', 'p:2', 'o:1'])).toEqual(['one', 'two', 'order']);
      await c.cache.deleteByTag('products');
      await delivered([a, b, c]);
      const failing = () => Promise.reject(new Error('source down'));
      const late = await open(a.cache.namespace, { graceMs: 600_000 });
      for (const { cache } of [a, b, c, late]) {
        await expect(cache.getOrSet('p:1', failing)).rejects.toThrow('source down');
        await expect(cache.getOrSet('p:2', failing)).rejects.toThrow('source down');
        expect(await cache.get('o:1')).toBe('order');
      }
    });

    it('bounds the stale window by busDownTtlMs when the bus connection is killed', async () => {
      const busDownTtlMs = 1_000;
      const [a] = await openMany(1);
      if (a === undefined) throw new Error('no instance');
      // b's bus connects as its own ACL user, so its subscriber can be killed and kept out.
      const user = `bus-user-${process.pid}-${++names}`;
      await everyNode(a.client, 'ACL', 'SETUSER', user, 'on', '>secret', '~*', '&*', '+@all');
      const busClient = await target.connectAs(user, 'secret');
      pool.clients.push(busClient);
      const b = await open(a.cache.namespace, {
        busDownTtlMs,
        bus: redisBus({ client: busClient, heartbeatMs: 500 }),
      });
      await connected([a, b]);
      await a.cache.set('k', 'v1');
      await a.cache.set('other', 'x');
      try {
        // Read with real timers: a call that waits (for the connection, or for a probe) must
        // not be left waiting on a fake timer nobody advances.
        expect(await b.cache.get('k')).toBe('v1'); // b's L1 copy is stored now
        expect(await b.cache.get('other')).toBe('x');
        useFakeTimersWithRealIo();
        const storedAt = Date.now();
        await everyNode(a.client, 'ACL', 'SETUSER', user, 'off');
        await everyNode(a.client, 'CLIENT', 'KILL', 'USER', user);
        await pumpUntil(
          () => b.cache.stats().bus.state === 'disconnected',
          'the bus to drop',
          5_000,
        );
        await a.cache.set('k', 'v2'); // b cannot hear this
        // Within the bound b may serve its copy; from the bound on, never.
        const servedStale: number[] = [];
        while (Date.now() - storedAt < busDownTtlMs + 200) {
          const value = await b.cache.get('k');
          if (value === 'v1') servedStale.push(Date.now() - storedAt);
          else expect(value).toBe('v2');
          await pump(50, 25);
        }
        expect(b.cache.stats().bus.state).toBe('disconnected');
        expect(servedStale.length).toBeGreaterThan(0);
        expect(Math.max(...servedStale)).toBeLessThan(busDownTtlMs);
        expect(await b.cache.get('k')).toBe('v2');

        // Back: the subscriber reconnects by itself, and L1 is flushed.
        await everyNode(a.client, 'ACL', 'SETUSER', user, 'on');
        await pumpUntil(
          () => b.cache.stats().bus.state === 'connected',
          'the bus to return',
          10_000,
        );
        expect(b.cache.stats().l1.entries).toBe(0);
      } finally {
        vi.useRealTimers();
      }
      expect(await b.cache.get('other')).toBe('x');
    });

    it('calls the factory once for 3 instances × 300 concurrent getOrSet with distributedLock', async () => {
      const opened = await openMany(3, { distributedLock: true });
      const factory = vi.fn(async () => {
        await sleep(50);
        return { loaded: true };
      });
      const values = await Promise.all(
        opened.flatMap(({ cache }) =>
          Array.from({ length: 300 }, () => cache.getOrSet('hot', factory)),
        ),
      );
      expect(factory).toHaveBeenCalledTimes(1);
      expect(values).toHaveLength(900);
      expect(values.every((value) => value.loaded)).toBe(true);
      const locks = opened.map(({ cache }) => cache.stats().lock);
      expect(locks.map((lock) => lock.acquired).reduce((sum, count) => sum + count)).toBe(1);
    });

    it('replaces a lease holder that died after the lease time', async () => {
      const leaseMs = 300;
      const [a, b] = await openMany(2, { distributedLock: { leaseMs, pollMs: 20 } });
      if (a === undefined || b === undefined) throw new Error('no instances');
      const redisMs = async () => {
        const [seconds = 0, micros = 0] = (await b.client.time()).map(Number);
        return seconds * 1000 + micros / 1000;
      };
      let holding = false;
      void a.cache
        .getOrSet('k', () => {
          holding = true;
          return new Promise(() => {});
        })
        .catch(() => undefined);
      await vi.waitFor(() => expect(holding).toBe(true));
      a.client.disconnect(); // the holder dies: no renewal, no release
      const diedAt = await redisMs();
      let tookOverAt = 0;
      const value = await b.cache.getOrSet('k', async () => {
        tookOverAt = await redisMs();
        return 'replacement';
      });
      expect(value).toBe('replacement');
      // The last renewal was at most leaseMs / 3 before the holder died.
      expect(tookOverAt - diedAt).toBeGreaterThanOrEqual((leaseMs * 2) / 3 - 50);
      expect(tookOverAt - diedAt).toBeLessThan(leaseMs + 500);
      expect(b.cache.stats().lock.acquired).toBe(1);
    });

    it('reads a batch with one command per slot (one MGET on a single node)', async () => {
      const [a, b] = await openMany(2);
      if (a === undefined || b === undefined) throw new Error('no instances');
      const keys = Array.from({ length: 40 }, (_, index) => `item:${index}`);
      const factory = vi.fn(({ keys: missing }: { keys: readonly string[] }) =>
        Object.fromEntries(missing.map((key) => [key, key.length])),
      );
      expect(await a.cache.getOrSetMany(keys, factory)).toEqual(keys.map((key) => key.length));
      // The write-back runs in the background: wait until it has been published.
      await vi.waitFor(() => expect(a.cache.stats().bus.published).toBe(1));
      await delivered([a, b]);
      const generation = await a.client.get(`rampart:cache:${a.cache.namespace}:generation`);
      const slots = new Set(
        keys.map((key) => keySlot(`rampart:cache:${a.cache.namespace}:${generation}:{${key}}`)),
      );
      await b.cache.get('warm-up'); // b reads the namespace's generation (a script's GET)
      await target.resetStats(b.client);
      expect(await b.cache.getMany(keys)).toEqual(keys.map((key) => key.length));
      const stats = await target.commandStats(b.client);
      // One read command per slot: MGET, or GET for a slot with one key.
      const reads = [...stats.matchAll(/cmdstat_m?get:calls=(\d+)/g)].reduce(
        (sum, match) => sum + Number(match[1]),
        0,
      );
      expect(reads).toBe(target.nodes(b.client).length === 1 ? 1 : slots.size);
      expect(factory).toHaveBeenCalledTimes(1);
    });

    it('never shows a fenced factory result after a delete or set (property, real Redis)', async () => {
      const operation = fc.oneof(
        fc.record({ kind: fc.constant('load' as const), at: fc.nat(2), key: fc.nat(1) }),
        fc.record({ kind: fc.constant('complete' as const), which: fc.nat(20) }),
        fc.record({ kind: fc.constant('set' as const), at: fc.nat(2), key: fc.nat(1) }),
        fc.record({ kind: fc.constant('delete' as const), at: fc.nat(2), key: fc.nat(1) }),
        fc.record({ kind: fc.constant('get' as const), at: fc.nat(2), key: fc.nat(1) }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(operation, { minLength: 1, maxLength: 25 }),
          async (operations) => {
            const opened = await openMany(3);
            const reader = await open(opened[0]?.cache.namespace ?? '', { l1: false });
            let epoch = 0;
            const invalidatedAt = new Map<string, number>();
            const pending: (() => void)[] = [];
            const check = (key: string, value: unknown, where: string): void => {
              if (value === undefined) return;
              const born = (value as { born: number }).born;
              const floor = invalidatedAt.get(key) ?? 0;
              if (born < floor)
                throw new Error(`${where}: ${key} born at ${born}, invalidated at ${floor}`);
            };
            for (const step of operations) {
              if (step.kind === 'complete') {
                pending.splice(step.which % Math.max(1, pending.length), 1)[0]?.();
                await sleep(5);
              } else {
                const cache = opened[step.at]?.cache;
                const key = `k${step.key}`;
                if (cache === undefined) continue;
                if (step.kind === 'load') {
                  void cache
                    .getOrSet(key, () => {
                      const born = epoch;
                      return new Promise((resolve) => pending.push(() => resolve({ born })));
                    })
                    .catch(() => undefined);
                  await sleep(2);
                } else if (step.kind === 'set') {
                  epoch += 1;
                  invalidatedAt.set(key, epoch);
                  await cache.set(key, { born: epoch });
                } else if (step.kind === 'delete') {
                  epoch += 1;
                  invalidatedAt.set(key, epoch);
                  await cache.delete(key);
                } else {
                  await delivered(opened);
                  check(key, await cache.get(key), `instance ${step.at}`);
                }
              }
              for (const key of ['k0', 'k1']) check(key, await reader.cache.get(key), 'L2');
            }
            for (const release of pending.splice(0)) release();
            await sleep(10);
            await delivered(opened);
            for (const [index, { cache }] of opened.entries()) {
              for (const key of ['k0', 'k1']) check(key, await cache.get(key), `instance ${index}`);
            }
            await Promise.all([...opened, reader].map(({ cache }) => cache.close()));
          },
        ),
        { numRuns: 12 },
      );
    }, 60_000);
  });
}
