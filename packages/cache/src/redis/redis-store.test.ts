import { ConfigurationError } from '@rampart/errors';
import { hasRedisServer, runToExit, useRedis } from '@rampart/test-harness';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeRedisContract } from '../../test-support/redis-contract.ts';
import { createCache } from '../create-cache.ts';
import { recommendedRedisOptions } from './client-settings.ts';
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

describe.runIf(hasRedisServer())('redisStore on a single Redis node', () => {
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

  it('publishes nothing and costs nothing extra when a cache is idle', () => {
    // A cache without calls owns no timers: creating one must not keep a process alive.
    const cache = createCache({ ttlMs: 1000 });
    expect(cache.stats().l2.state).toBe('absent');
  });
});
