/**
 * @rampart/redis helpers on a real 3-master Redis Cluster, with both ioredis majors: waiting
 * for `ready`, closing a ready, a still-connecting and a hung cluster client, and logging
 * errors once per outage.
 */
import {
  closeRedis,
  logRedisErrors,
  recommendedClusterOptions,
  waitForRedis,
} from '@rampart/redis';
import { hasRedisServer, type RedisCluster, startRedisCluster } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

describe.runIf(hasRedisServer())('@rampart/redis on a 3-master Redis Cluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());

  it.each(ioredisClients)('waits for and closes a cluster client ($name)', async ({ Cluster }) => {
    const ready = new Cluster([...cluster.nodes], recommendedClusterOptions);
    await waitForRedis(ready, { timeoutMs: 10_000 });
    expect(ready.status).toBe('ready');
    await expect(ready.set('{helpers}:key', 'value')).resolves.toBe('OK');
    await closeRedis(ready);
    expect(ready.status).toBe('end');
    expect(ready.nodes('all')).toHaveLength(0);

    const connecting = new Cluster([...cluster.nodes], recommendedClusterOptions);
    connecting.on('error', () => {});
    await closeRedis(connecting);
    expect(connecting.status).toBe('end');
  });

  it.each(ioredisClients)(
    'closes a cluster client within its bound while a master hangs ($name)',
    async ({ Cluster }) => {
      const client = new Cluster([...cluster.nodes], recommendedClusterOptions);
      const lines: string[] = [];
      const log = logRedisErrors(client, { log: (_level, message) => lines.push(message) });
      await waitForRedis(client, { timeoutMs: 10_000 });
      const hung = cluster.servers[0];
      if (hung === undefined) throw new Error('no cluster server');
      await hung.freeze();
      try {
        await closeRedis(client, { timeoutMs: 300 });
        expect(client.status).toBe('end');
        expect(client.nodes('all')).toHaveLength(0);
      } finally {
        await hung.thaw();
        await log.close();
      }
      expect(lines.length).toBeLessThanOrEqual(1);
    },
  );
});
