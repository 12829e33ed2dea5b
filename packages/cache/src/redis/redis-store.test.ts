import { ConfigurationError } from '@rampart/errors';
import { closeRedis, recommendedRedisOptions, waitForRedis } from '@rampart/redis';
import { hasRedisServer, runToExit, startRedisServer, useRedis } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedisContract } from '../../test-support/redis-contract.ts';
import { createCache } from '../create-cache.ts';
import type { L2Store } from '../l2-store.ts';
import type { RedisClient } from './redis-client.ts';
import { redisStore } from './redis-store.ts';

async function ready(client: Redis): Promise<Redis> {
  if (client.status !== 'ready') {
    await new Promise<void>((resolve, reject) => {
      client.once('ready', resolve);
      client.once('end', () => reject(new Error('client ended before ready')));
    });
  }
  return client;
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'redisStore on a single Redis node ($name)',
  ({ Redis }) => {
    describeRedisContract('contract', async () => {
      const redis = await useRedis();
      return {
        connect: () => ready(new Redis(redis.url, recommendedRedisOptions)),
        commandStats: async (client: RedisClient) => String(await client.info('commandstats')),
        resetStats: async (client: RedisClient) => {
          await client.config('RESETSTAT');
        },
        flushScripts: async (client: RedisClient) => {
          await client.script('FLUSH');
        },
        stop: () => redis.release(),
      };
    });

    describe('client settings', () => {
      let redis: Awaited<ReturnType<typeof useRedis>>;
      beforeAll(async () => {
        redis = await useRedis();
      });
      afterAll(() => redis.release());

      it('rejects a client that would queue commands forever while Redis is down', () => {
        const client = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null });
        expect(() => redisStore({ client })).toThrow(ConfigurationError);
        expect(() => redisStore({ client })).toThrow(
          /enableOfflineQueue: true with maxRetriesPerRequest: null/,
        );
        client.disconnect();
      });

      it('accepts the recommended settings and the ioredis defaults', () => {
        const safe = new Redis(redis.url, { ...recommendedRedisOptions, lazyConnect: true });
        const defaults = new Redis(redis.url, { lazyConnect: true });
        expect(() => redisStore({ client: safe })).not.toThrow();
        expect(() => redisStore({ client: defaults })).not.toThrow();
        safe.disconnect();
        defaults.disconnect();
      });

      it('connects a lazyConnect client', async () => {
        const client = new Redis(redis.url, { ...recommendedRedisOptions, lazyConnect: true });
        redisStore({ client });
        await ready(client);
        expect(client.status).toBe('ready');
        client.disconnect();
      });

      it('validates its options', () => {
        // @ts-expect-error not a client
        expect(() => redisStore({ client: {} })).toThrow(
          'redisStore: `client` must be an ioredis Redis or Cluster client',
        );
        const client = new Redis(redis.url, { ...recommendedRedisOptions, lazyConnect: true });
        expect(() => redisStore({ client, prefix: 'a{b}', generationRefreshMs: 0 })).toThrow(
          /`prefix` must be a string without "\{" or "\}".*`generationRefreshMs` must be a positive integer/,
        );
        client.disconnect();
      });
    });

    describe('before the client is ready', () => {
      let redis: Awaited<ReturnType<typeof useRedis>>;
      beforeAll(async () => {
        redis = await useRedis();
      });
      afterAll(() => redis.release());
      let run = 0;
      const namespace = () => `before-ready-${process.pid}-${++run}`;

      it('writes to and reads from Redis for a client created in the same tick', async () => {
        const shared = namespace();
        const writerClient = new Redis(redis.url, recommendedRedisOptions);
        const writer = createCache({
          namespace: shared,
          ttlMs: 60_000,
          l2: redisStore({ client: writerClient }),
          l2TimeoutMs: 10_000, // far above a local connection, even on a loaded machine
        });
        expect(writerClient.status).not.toBe('ready');
        await writer.set('key', 'written before ready');
        expect(writer.stats().l2).toMatchObject({ errors: 0, timeouts: 0 });

        const readerClient = new Redis(redis.url, recommendedRedisOptions);
        const reader = createCache({
          namespace: shared,
          ttlMs: 60_000,
          l2: redisStore({ client: readerClient }),
          l2TimeoutMs: 10_000,
        });
        expect(readerClient.status).not.toBe('ready');
        expect(await reader.get('key')).toBe('written before ready');
        expect(reader.stats().l2).toMatchObject({ hits: 1, errors: 0 });
        await Promise.all([writer.close(), reader.close()]);
        await Promise.all([closeRedis(writerClient), closeRedis(readerClient)]);
      });

      it('does not wait for a stopped Redis, and uses it again once it is restarted', async () => {
        const server = await startRedisServer();
        await server.kill();
        const client = new Redis(server.url, {
          ...recommendedRedisOptions,
          retryStrategy: () => 20,
        });
        client.on('error', () => {});
        try {
          const cache = createCache({
            namespace: namespace(),
            ttlMs: 60_000,
            l2: redisStore({ client }),
            l2TimeoutMs: 60_000, // were the call waiting for the deadline, the test would time out
          });
          await cache.set('key', 'local only');
          expect(cache.stats().l2).toMatchObject({ errors: 1, timeouts: 0 });
          await server.restart();
          await waitForRedis(client, { timeoutMs: 10_000 });
          await cache.set('key', 'shared');
          expect(cache.stats().l2).toMatchObject({ errors: 1, state: 'healthy' });
          expect(await client.keys('*:{key}')).toHaveLength(1);
          await cache.close();
        } finally {
          await closeRedis(client);
          await server.stop();
        }
      }, 30_000);

      it('gives up within l2TimeoutMs on a hung Redis and never sends the abandoned call', async () => {
        const server = await startRedisServer();
        await server.freeze();
        const client = new Redis(server.url, recommendedRedisOptions);
        client.on('error', () => {});
        try {
          const cache = createCache({
            namespace: 'hung',
            ttlMs: 60_000,
            l2: redisStore({ client }),
            l2TimeoutMs: 50,
          });
          await cache.set('key', 'local only');
          expect(cache.stats().l2.timeouts).toBe(1);
          await cache.close();
          const ready = new Promise((resolve) => client.once('ready', resolve));
          await server.thaw();
          await ready;
          expect(await client.keys('*hung*')).toEqual([]);
        } finally {
          await closeRedis(client);
          await server.stop();
        }
      }, 20_000);
    });

    describe('lifecycle', () => {
      let redis: Awaited<ReturnType<typeof useRedis>>;
      beforeAll(async () => {
        redis = await useRedis();
      });
      afterAll(() => redis.release());

      it('lets the process exit after close() and quitting the client, even with a load in flight', async () => {
        const child = new URL('../../test-support/close-child.ts', import.meta.url).pathname;
        const result = await runToExit(process.execPath, ['--conditions=@rampart/source', child], {
          env: { ...process.env, CHILD_REDIS_URL: redis.url },
        });
        expect(result.stderr).toBe('');
        expect(result).toMatchObject({ code: 0, timedOut: false });
        expect(result.stdout).toContain('closed: E_UNAVAILABLE');
      });

      it('lets the process exit after close() of an L1-only cache', async () => {
        const child = new URL('../../test-support/close-child.ts', import.meta.url).pathname;
        const result = await runToExit(process.execPath, ['--conditions=@rampart/source', child]);
        expect(result).toMatchObject({ code: 0, timedOut: false });
        expect(result.stdout).toContain('closed: E_UNAVAILABLE');
      });
    });

    describe('fenced writes, tags and leases', () => {
      let redis: Awaited<ReturnType<typeof useRedis>>;
      let client: Redis;
      let store: L2Store;
      const signal = AbortSignal.timeout(60_000);
      let namespace = 0;
      const fresh = () => `store-${process.pid}-${++namespace}`;
      beforeAll(async () => {
        redis = await useRedis();
        client = await ready(new Redis(redis.url, recommendedRedisOptions));
        store = redisStore({ client, tombstoneTtlMs: 5_000 });
      });
      afterAll(async () => {
        client.disconnect();
        await redis.release();
      });
      const read = async (ns: string, key: string) => {
        const [found] = (await store.readMany?.(ns, [key], signal)) ?? [];
        if (found === undefined) throw new Error('no read');
        return found;
      };
      const write = async (ns: string, key: string, data: string, fence?: string) =>
        (await store.writeMany?.(ns, [{ key, data, ttlMs: 60_000, fence }], signal))?.[0];

      it('writes a load result only if the key did not change since its read', async () => {
        const ns = fresh();
        const empty = await read(ns, 'k');
        expect(await write(ns, 'k', 'loaded', empty.fence)).toBe(true);
        const loaded = await read(ns, 'k');
        expect(loaded.record?.data).toBe('loaded');
        // Another load from the same state may write too: nothing changed in between.
        expect(await write(ns, 'k', 'loaded again', empty.fence)).toBe(true);
        await store.set(ns, 'k', 'set', 60_000, signal);
        expect(await write(ns, 'k', 'older', loaded.fence)).toBe(false);
        const afterSet = await read(ns, 'k');
        expect(afterSet.record?.data).toBe('set');
        await store.delete(ns, ['k'], signal);
        expect(await write(ns, 'k', 'older', afterSet.fence)).toBe(false);
        expect(await write(ns, 'k', 'older', empty.fence)).toBe(false);
        const deleted = await read(ns, 'k');
        expect(deleted.record).toBeUndefined();
        expect(await write(ns, 'k', 'after delete', deleted.fence)).toBe(true);
        expect((await read(ns, 'k')).record?.data).toBe('after delete');
      });

      it('refuses a load of an empty key whose read is older than the tombstones live', async () => {
        const ns = fresh();
        const { fence } = await read(ns, 'k');
        const [generation, id, readAt] = fence.split('|');
        const old = `${generation}|${id}|${Number(readAt) - 5_000}`;
        expect(await write(ns, 'k', 'too late', old)).toBe(false);
        expect(await write(ns, 'k', 'in time', fence)).toBe(true);
      });

      it('writes a load that started before clear() into the old generation, out of reach', async () => {
        const ns = fresh();
        const { fence } = await read(ns, 'k');
        await store.clear(ns, signal);
        expect(await write(ns, 'k', 'before clear', fence)).toBe(true);
        expect((await read(ns, 'k')).record).toBeUndefined();
      });

      it('keeps tag versions, changing both parts on a hard invalidation and one on a soft one', async () => {
        const ns = fresh();
        const [first] = (await store.tagVersions?.(ns, ['t'], 10_000, signal)) ?? [];
        const [again] = (await store.tagVersions?.(ns, ['t'], 10_000, signal)) ?? [];
        expect(again).toEqual(first);
        const ttl = await client.pttl(`rampart:cache:${ns}:tag:{t}`);
        expect(ttl).toBeGreaterThan(9_000);
        const [soft] = (await store.invalidateTags?.(ns, ['t'], 'soft', signal)) ?? [];
        expect(soft?.hard).toBe(first?.hard);
        expect(soft?.soft).not.toBe(first?.soft);
        const [hard] = (await store.invalidateTags?.(ns, ['t'], 'hard', signal)) ?? [];
        expect(hard?.hard).not.toBe(first?.hard);
        expect(await store.tagVersions?.(ns, ['t'], 1, signal)).toEqual([hard]);
        expect(await client.pttl(`rampart:cache:${ns}:tag:{t}`)).toBeGreaterThan(86_000_000);
      });

      it('gives a lease to one token at a time, renews and releases it only for that token', async () => {
        const ns = fresh();
        expect(await store.acquireLease?.(ns, 'k', 'one', 10_000, signal)).toBe(true);
        expect(await store.acquireLease?.(ns, 'k', 'two', 10_000, signal)).toBe(false);
        expect(await store.renewLease?.(ns, 'k', 'two', 60_000, signal)).toBe(false);
        expect(await store.renewLease?.(ns, 'k', 'one', 60_000, signal)).toBe(true);
        const generation = await client.get(`rampart:cache:${ns}:generation`);
        expect(await client.pttl(`rampart:cache:${ns}:${generation}:{k}:lease`)).toBeGreaterThan(
          50_000,
        );
        await store.releaseLease?.(ns, 'k', 'two', signal);
        expect(await store.acquireLease?.(ns, 'k', 'two', 10_000, signal)).toBe(false);
        await store.releaseLease?.(ns, 'k', 'one', signal);
        expect(await store.acquireLease?.(ns, 'k', 'two', 10_000, signal)).toBe(true);
      });
    });

    it('publishes nothing and costs nothing extra when a cache is idle', () => {
      // A cache without calls owns no timers: creating one must not keep a process alive.
      const cache = createCache({ ttlMs: 1000 });
      expect(cache.stats().l2.state).toBe('absent');
    });
  },
);
