import { hasRedisServer, useRedis } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isConnecting, isRedisClient } from './client.ts';
import { closeRedis } from './close-redis.ts';
import { waitForRedis } from './wait-for-redis.ts';

describe('isRedisClient', () => {
  it('accepts clients of both ioredis majors and rejects look-alikes', async () => {
    for (const { Redis, Cluster } of ioredisClients) {
      const single = new Redis({ lazyConnect: true });
      const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
      expect(isRedisClient(single)).toBe(true);
      expect(isRedisClient(cluster)).toBe(true);
      expect(isConnecting(single)).toBe(true); // `wait`: a lazy client that may still connect
      await Promise.all([closeRedis(single), closeRedis(cluster)]);
      expect(isConnecting(single)).toBe(false);
    }
    for (const value of [undefined, null, 42, 'redis://x', {}, { status: 'ready', options: {} }]) {
      expect(isRedisClient(value)).toBe(false);
    }
  });
});

describe.runIf(hasRedisServer())('the client matrix', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  beforeAll(async () => {
    redis = await useRedis();
  });
  afterAll(() => redis.release());

  it.each(ioredisClients)(
    '$name speaks RESP$protocol with the server',
    async ({ Redis, protocol }) => {
      const client = new Redis(redis.url);
      await waitForRedis(client);
      const info = String(await client.call('CLIENT', 'INFO'));
      expect(info).toMatch(new RegExp(`\\bresp=${protocol}\\b`));
      await closeRedis(client);
    },
  );
});
