import { recommendedRedisOptions } from '@rampart/redis';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis } from 'ioredis';
import { describe } from 'vitest';
import { describeMultiInstance } from '../../test-support/multi-instance.ts';
import type { RedisClient } from './redis-client.ts';

async function ready(client: Redis): Promise<Redis> {
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'several cache instances on one Redis node ($name)',
  ({ Redis }) => {
    describeMultiInstance('multi-instance', async () => {
      const redis = await useRedis();
      return {
        connect: () => ready(new Redis(redis.url, recommendedRedisOptions)),
        connectAs: (username, password) => {
          const client = new Redis(redis.url, { ...recommendedRedisOptions, username, password });
          client.on('error', () => {
            // Refused while its user is disabled: expected in the bus-down test.
          });
          return ready(client);
        },
        nodes: (client: RedisClient) => [client as Redis],
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
  },
);
