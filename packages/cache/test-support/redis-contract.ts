/**
 * The behaviour every Redis deployment must show, run against a real single node (in the
 * package's tests) and a real 3-master Cluster (tests/cache-cluster.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Cache, CacheOptions } from '../src/index.ts';
import { createCache } from '../src/index.ts';
import type { RedisClient } from '../src/redis.ts';
import { redisStore } from '../src/redis.ts';

/** A Redis deployment for the suite: how to connect, and how to read command counters. */
export interface RedisTarget {
  /** A new client with the recommended options, connected and ready. */
  connect(): Promise<RedisClient>;
  /** `INFO commandstats` of every master, concatenated. */
  commandStats(client: RedisClient): Promise<string>;
  /** Resets the command counters of every master. */
  resetStats(client: RedisClient): Promise<void>;
  /** `SCRIPT FLUSH` on every master. */
  flushScripts(client: RedisClient): Promise<void>;
  stop(): Promise<void>;
}

let namespaces = 0;

export function describeRedisContract(label: string, setup: () => Promise<RedisTarget>): void {
  describe(label, () => {
    let target: RedisTarget;
    const clients: RedisClient[] = [];
    const caches: Cache[] = [];

    beforeAll(async () => {
      target = await setup();
    });
    afterAll(async () => {
      await Promise.all(caches.map((cache) => cache.close()));
      await Promise.all(clients.map((client) => client.quit().catch(() => undefined)));
      await target?.stop();
    });

    const connect = async (): Promise<RedisClient> => {
      const client = await target.connect();
      clients.push(client);
      return client;
    };
    /** A cache on its own client (a separate "process"), in the given namespace. */
    const open = async (
      namespace: string,
      options: Partial<CacheOptions> & { generationRefreshMs?: number } = {},
    ): Promise<{ cache: Cache; client: RedisClient }> => {
      const client = await connect();
      const { generationRefreshMs, ...rest } = options;
      const cache = createCache({
        ttlMs: 60_000,
        namespace,
        l2TimeoutMs: 1000,
        l2: redisStore({
          client,
          ...(generationRefreshMs === undefined ? {} : { generationRefreshMs }),
        }),
        ...rest,
      });
      caches.push(cache);
      return { cache, client };
    };
    const freshNamespace = (): string => `contract-${process.pid}-${++namespaces}`;
    const redisKey = async (client: RedisClient, namespace: string, key: string) => {
      const generation = await client.get(`rampart:cache:${namespace}:generation`);
      return `rampart:cache:${namespace}:${generation}:{${key}}`;
    };
    /**
     * Makes a stored record look as if it had been written earlier: `remainingMs` of its TTL
     * (fresh TTL plus grace) are left, in the stored expiry (Redis time) and in Redis's own.
     */
    const age = async (client: RedisClient, key: string, remainingMs: number): Promise<void> => {
      const [seconds, microseconds] = (await client.time()).map(Number);
      const redisNow = (seconds ?? 0) * 1000 + (microseconds ?? 0) / 1000;
      const stored = (await client.get(key)) ?? '';
      const record = stored.slice(stored.indexOf('\n') + 1);
      await client.set(key, `${Math.round(redisNow + remainingMs)}\n${record}`, 'PX', remainingMs);
    };

    it('writes the factory value to Redis and serves it to another process from L2', async () => {
      const namespace = freshNamespace();
      const a = await open(namespace);
      const b = await open(namespace);
      expect(await a.cache.getOrSet('user:1', () => ({ name: 'Ada', born: new Date(0) }))).toEqual({
        name: 'Ada',
        born: '1970-01-01T00:00:00.000Z',
      });
      await vi.waitFor(async () =>
        expect(await a.client.exists(await redisKey(a.client, namespace, 'user:1'))).toBe(1),
      );
      const factory = vi.fn(() => ({ name: 'other' }));
      expect(await b.cache.getOrSet('user:1', factory)).toEqual({
        name: 'Ada',
        born: '1970-01-01T00:00:00.000Z',
      });
      expect(factory).not.toHaveBeenCalled();
      expect(b.cache.stats().l2.hits).toBe(1);
    });

    it('stores a record for ttlMs + graceMs and backfills L1 with the remaining TTL', async () => {
      const namespace = freshNamespace();
      const writer = await open(namespace);
      await writer.cache.set('k', 'v', { ttlMs: 60_000, graceMs: 30_000 });
      const key = await redisKey(writer.client, namespace, 'k');
      const pttl = await writer.client.pttl(key);
      expect(pttl).toBeGreaterThan(89_000);
      expect(pttl).toBeLessThanOrEqual(90_000);

      await age(writer.client, key, 35_000);
      let now = 1_000_000;
      const reader = await open(namespace, { graceMs: 30_000, clock: { now: () => now } });
      expect(await reader.cache.get('k')).toBe('v');
      now += 4_500;
      expect(await reader.cache.get('k')).toBe('v');
      expect(reader.cache.stats().l1.hits).toBe(1);
      now += 1_000;
      // L1 let the entry go after the remaining 5 s, not after ttlMs: the next read goes to L2.
      expect(await reader.cache.get('k')).toBe('v');
      expect(reader.cache.stats().l1).toMatchObject({ hits: 1, misses: 2 });
      expect(reader.cache.stats().l2).toMatchObject({ hits: 2 });
    });

    it('calls the factory once for 1,000 concurrent getOrSet of one missing key', async () => {
      const { cache } = await open(freshNamespace());
      const factory = vi.fn(async () => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return 'loaded';
      });
      const values = await Promise.all(
        Array.from({ length: 1000 }, () => cache.getOrSet('hot', factory)),
      );
      expect(factory).toHaveBeenCalledTimes(1);
      expect(values.every((value) => value === 'loaded')).toBe(true);
    });

    it('clears one namespace, not another, without KEYS or SCAN', async () => {
      const mine = freshNamespace();
      const theirs = freshNamespace();
      const a = await open(mine);
      const b = await open(theirs);
      await Promise.all(
        Array.from({ length: 50 }, (_, index) =>
          Promise.all([a.cache.set(`k${index}`, index), b.cache.set(`k${index}`, index)]),
        ),
      );
      await target.resetStats(a.client);
      await a.cache.clear();
      const stats = await target.commandStats(a.client);
      expect(stats).not.toMatch(/cmdstat_(keys|scan):/);
      const reader = await open(mine, { l1: false });
      expect(await reader.cache.get('k1')).toBeUndefined();
      const other = await open(theirs, { l1: false });
      expect(await other.cache.get('k1')).toBe(1);
    });

    it("reaches other processes' L2 reads within generationRefreshMs after a clear", async () => {
      const namespace = freshNamespace();
      const a = await open(namespace);
      const b = await open(namespace, { l1: false, generationRefreshMs: 20 });
      await a.cache.set('k', 'v');
      expect(await b.cache.get('k')).toBe('v');
      await a.cache.clear();
      await vi.waitFor(async () => expect(await b.cache.get('k')).toBeUndefined(), {
        timeout: 2_000,
        interval: 10,
      });
    });

    it('deletes keys that live in different slots', async () => {
      const namespace = freshNamespace();
      const a = await open(namespace);
      const keys = Array.from({ length: 40 }, (_, index) => `key-${index}`);
      await Promise.all(keys.map((key) => a.cache.set(key, key)));
      await a.cache.deleteMany(keys.slice(0, 30));
      const reader = await open(namespace, { l1: false });
      const found = await Promise.all(keys.map((key) => reader.cache.get(key)));
      expect(found.filter((value) => value !== undefined)).toEqual(keys.slice(30));
      await a.cache.delete('key-35');
      expect(await reader.cache.get('key-35')).toBeUndefined();
    });

    it('keeps working after the scripts are flushed from Redis', async () => {
      await target.flushScripts((await open(freshNamespace())).client);
      const namespace = freshNamespace();
      const a = await open(namespace);
      await a.cache.set('k', 1);
      const reader = await open(namespace, { l1: false });
      expect(await reader.cache.get('k')).toBe(1);
      expect(reader.cache.stats().l2.errors).toBe(0);
      expect(a.cache.stats().l2.errors).toBe(0);
    });

    it('ignores a value in its key space that it did not write', async () => {
      const namespace = freshNamespace();
      const a = await open(namespace);
      await a.cache.set('k', 1);
      await a.client.set(await redisKey(a.client, namespace, 'k'), 'not a cache record');
      const reader = await open(namespace, { l1: false });
      expect(await reader.cache.get('k')).toBeUndefined();
      expect(reader.cache.stats().l2).toMatchObject({ errors: 1, state: 'healthy' });
    });

    it('round-trips null and serves a stale Redis value within grace when the factory fails', async () => {
      const namespace = freshNamespace();
      const writer = await open(namespace, { graceMs: 60_000 });
      await writer.cache.set('nothing', null);
      await writer.cache.set('k', 'old', { ttlMs: 1_000, graceMs: 60_000 });
      const key = await redisKey(writer.client, namespace, 'k');
      await age(writer.client, key, 59_000);
      const reader = await open(namespace, { graceMs: 60_000, l1: false });
      expect(await reader.cache.get('nothing')).toBeNull();
      expect(await reader.cache.get('k')).toBeUndefined();
      expect(
        await reader.cache.getOrSet('k', () => {
          throw new Error('source down');
        }),
      ).toBe('old');
    });
  });
}
