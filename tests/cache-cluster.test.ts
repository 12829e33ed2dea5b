/**
 * @rampart/cache on a real 3-master Redis Cluster: the same contract and multi-instance
 * behaviour (bus on sharded pub/sub, tags in their own slots, batches per slot) as on a single
 * node, slots computed like Redis does, the client-settings warning, and a master killed
 * under load.
 */

import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Cluster, ClusterOptions } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createCache } from '../packages/cache/src/index.ts';
import { keySlot } from '../packages/cache/src/redis/cluster-slot.ts';
import {
  type RedisClient,
  recommendedClusterOptions,
  redisBus,
  redisStore,
} from '../packages/cache/src/redis.ts';
import {
  expectedValue,
  keysOf,
  pump,
  pumpUntil,
  trackUnhandledRejections,
  useFakeTimersWithRealIo,
  wave,
} from '../packages/cache/test-support/fault-load.ts';
import { describeMultiInstance } from '../packages/cache/test-support/multi-instance.ts';
import { describeRedisContract } from '../packages/cache/test-support/redis-contract.ts';
import { hasRedisServer, type RedisCluster, startRedisCluster } from './harness/src/index.ts';

const masters = (client: RedisClient) => (client as Cluster).nodes('master');

async function connect(
  Client: typeof Cluster,
  cluster: RedisCluster,
  options: ClusterOptions = recommendedClusterOptions,
): Promise<Cluster> {
  const client = new Client([...cluster.nodes], options);
  client.on('error', () => {
    // Node failures are expected in the fault test; the cache reports its own failures.
  });
  await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'cache on a 3-master Redis Cluster ($name)',
  ({ Cluster }) => {
    let cluster: RedisCluster;
    beforeAll(async () => {
      cluster = await startRedisCluster();
    });
    afterAll(() => cluster?.stop());

    describeRedisContract('contract', async () => ({
      connect: () => connect(Cluster, cluster),
      commandStats: async (client) =>
        (await Promise.all(masters(client).map((node) => node.info('commandstats')))).join('\n'),
      resetStats: async (client) => {
        await Promise.all(masters(client).map((node) => node.config('RESETSTAT')));
      },
      flushScripts: async (client) => {
        await Promise.all(masters(client).map((node) => node.script('FLUSH')));
      },
      stop: async () => {},
    }));

    describeMultiInstance('multi-instance', async () => ({
      connect: () => connect(Cluster, cluster),
      connectAs: (username, password) =>
        connect(Cluster, cluster, {
          ...recommendedClusterOptions,
          redisOptions: { ...recommendedClusterOptions.redisOptions, username, password },
        }),
      nodes: (client) => masters(client),
      commandStats: async (client) =>
        (await Promise.all(masters(client).map((node) => node.info('commandstats')))).join('\n'),
      resetStats: async (client) => {
        await Promise.all(masters(client).map((node) => node.config('RESETSTAT')));
      },
      flushScripts: async (client) => {
        await Promise.all(masters(client).map((node) => node.script('FLUSH')));
      },
      stop: async () => {},
    }));

    it('publishes invalidations with sharded pub/sub (SPUBLISH) on a Redis 7 Cluster', async () => {
      const writerClient = await connect(Cluster, cluster);
      const readerClient = await connect(Cluster, cluster);
      const options = { namespace: 'sharded-bus', ttlMs: 60_000 } as const;
      const writer = createCache({
        ...options,
        l2: redisStore({ client: writerClient }),
        bus: redisBus({ client: writerClient }),
      });
      const reader = createCache({
        ...options,
        l2: redisStore({ client: readerClient }),
        bus: redisBus({ client: readerClient }),
      });
      try {
        await vi.waitFor(() => expect(reader.stats().bus.state).toBe('connected'));
        // The first calls of a cold Cluster client (slots, scripts, Redis's clock) may miss the
        // default deadline on a loaded machine, and a write that misses it is not sent late.
        await vi.waitFor(
          async () => {
            await writer.set('warm', 0);
            expect(await reader.get('warm')).toBe(0);
          },
          { timeout: 10_000, interval: 100 },
        );
        await writer.set('k', 1);
        expect(await reader.get('k')).toBe(1);
        const received = reader.stats().bus.received;
        await Promise.all(masters(writerClient).map((node) => node.config('RESETSTAT')));
        await writer.set('k', 2);
        await vi.waitFor(() => expect(reader.stats().bus.received).toBe(received + 1));
        expect(await reader.get('k')).toBe(2);
        const stats = (
          await Promise.all(masters(writerClient).map((node) => node.info('commandstats')))
        ).join('\n');
        expect(stats).toMatch(/cmdstat_spublish:calls=1,/);
        expect(stats).not.toMatch(/cmdstat_publish:/);
      } finally {
        await writer.close();
        await reader.close();
        writerClient.disconnect();
        readerClient.disconnect();
      }
    });

    it('computes the slot of a key as Redis does, hash tags included', async () => {
      const client = await connect(Cluster, cluster);
      try {
        const keys = [
          'plain',
          'rampart:cache:ns:gen:{user:42}',
          'rampart:cache:ns:gen:{user:42}:lease',
          '{}empty-tag',
          'a{b}c{d}',
          'no{close',
          '{}}',
          'ünïcødé:{ключ}',
          ...Array.from({ length: 200 }, (_, index) => `key-${index * 7919}`),
        ];
        for (const key of keys) {
          expect(keySlot(key), key).toBe(await client.cluster('KEYSLOT', key));
        }
      } finally {
        client.disconnect();
      }
    });

    it('warns once about a Cluster client with an unbounded offline queue', async () => {
      const warnings: Error[] = [];
      const listener = (warning: Error): void => {
        warnings.push(warning);
      };
      process.on('warning', listener);
      const client = await connect(Cluster, cluster, {});
      try {
        redisStore({ client });
        redisStore({ client });
        await new Promise((resolve) => setImmediate(resolve));
        const ours = warnings.filter(
          (warning) => (warning as { code?: string }).code === 'RAMPART_CACHE_REDIS_OFFLINE_QUEUE',
        );
        expect(ours).toHaveLength(1);
      } finally {
        process.off('warning', listener);
        client.disconnect();
      }
    });

    it('settles every call within l2TimeoutMs when a master dies under load, and recovers', async () => {
      const client = await connect(Cluster, cluster);
      const store = redisStore({ client });
      const options = {
        namespace: 'cluster-fault',
        ttlMs: 600_000,
        l2TimeoutMs: 50,
        l2CooldownMs: 200,
        l2FailureThreshold: 3,
        l2: store,
      };
      const cache = createCache(options);
      const reader = createCache({ ...options, l1: false });
      const warm = keysOf('warm:', 100);
      await Promise.all(warm.map((key) => cache.getOrSet(key, () => expectedValue(key))));
      const unhandled = trackUnhandledRejections();
      const victim = cluster.servers[1];
      try {
        useFakeTimersWithRealIo();
        const calls = wave(cache, [...warm, ...keysOf('cold:', 200)]);
        await victim?.kill();
        calls.push(...wave(cache, [...warm, ...keysOf('cold:', 200, 200)]));
        await pump(50);
        expect(calls.filter((call) => !call.settled).map((call) => call.key)).toEqual([]);
        expect(calls.every((call) => call.value === expectedValue(call.key))).toBe(true);

        await victim?.restart();
        // Calls after each cool-down start a probe, until one succeeds.
        let probes = 0;
        await pumpUntil(
          () => {
            if (cache.stats().l2.state === 'healthy') return true;
            probes += 1;
            if (probes % 20 === 0) void cache.get('probe');
            return false;
          },
          'L2 to recover',
          30_000,
        );
        await pumpUntil(() => client.status === 'ready', 'the cluster client');
        await vi.waitFor(
          async () => {
            await cache.set('after-restart', 'fresh');
            expect(await reader.get('after-restart')).toBe('fresh');
          },
          { timeout: 30_000, interval: 50 },
        );
      } finally {
        vi.useRealTimers();
        unhandled.stop();
        await cache.close();
        await reader.close();
        client.disconnect();
      }
      expect(unhandled.reasons).toEqual([]);
    });
  },
);
