/**
 * redisCheck against a real redis-server: it passes with the PING latency while Redis
 * answers, fails within its deadline while Redis is frozen (SIGSTOP: connections open,
 * nothing answers) or stopped, and passes again once Redis is back. Concurrent probes share
 * one PING. On a Redis Cluster every master is pinged.
 */
import { createHealth, redisCheck } from '@rampart/health';
import {
  hasRedisServer,
  type RedisCluster,
  type RedisServer,
  startRedisCluster,
  startRedisServer,
} from '@rampart/test-harness';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

async function eventually(probe: () => Promise<boolean>, attempts = 200): Promise<void> {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held');
}

describe.runIf(hasRedisServer())('redisCheck against a real Redis', () => {
  let server: RedisServer;
  let client: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url, { retryStrategy: () => 20, maxRetriesPerRequest: 1 });
    client.on('error', () => {}); // the outages below are on purpose
    await client.ping();
  });

  afterAll(async () => {
    client?.disconnect();
    await server?.stop();
  });

  it('passes with the round trip latency in ms while Redis answers', async () => {
    const health = createHealth({
      checks: { redis: { check: redisCheck(client), timeoutMs: 500 } },
    });
    const report = await health.check();
    expect(report.status).toBe('pass');
    expect(report.checks.redis).toMatchObject({ status: 'pass', observedUnit: 'ms' });
    expect(report.checks.redis?.observedValue).toBeGreaterThanOrEqual(0);
  });

  it('fails at its deadline while Redis is frozen, and shares one PING between probes', async () => {
    let pings = 0;
    const counting = {
      ping: () => {
        pings++;
        return client.ping();
      },
    };
    const health = createHealth({
      checks: { redis: { check: redisCheck(counting), timeoutMs: 200 } },
    });
    await server.freeze();
    try {
      const reports = await Promise.all(Array.from({ length: 20 }, () => health.check()));
      expect(pings).toBe(1);
      for (const report of reports) {
        expect(report.status).toBe('fail');
        expect(report.checks.redis?.output).toBe('timed out after 200 ms');
      }
    } finally {
      await server.thaw();
    }
    await eventually(async () => (await health.check()).status === 'pass');
  });

  it('fails while Redis is down without sending its error message, and recovers after a restart', async () => {
    const health = createHealth({
      checks: { redis: { check: redisCheck(client), timeoutMs: 200 } },
    });
    await server.kill();
    await eventually(async () => (await health.check()).status === 'fail');
    const down = await health.check();
    expect(down.checks.redis?.output).toMatch(
      /^(connection is reconnecting|timed out after 200 ms|failed)$/,
    );
    expect(JSON.stringify(down)).not.toContain('ECONNREFUSED');
    await server.restart();
    await eventually(async () => (await health.check()).status === 'pass');
  });
});

describe.runIf(hasRedisServer())('redisCheck against a real Redis Cluster', () => {
  let cluster: RedisCluster;
  let client: Cluster;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    client = new Cluster([...cluster.nodes], { clusterRetryStrategy: () => 50 });
    client.on('error', () => {}); // the outage below is on purpose
    await client.ping();
  });

  afterAll(async () => {
    client?.disconnect();
    await cluster?.stop();
  });

  it('pings every master: one frozen master fails the check within its deadline', async () => {
    const health = createHealth({
      checks: { redis: { check: redisCheck(client), timeoutMs: 300 } },
    });
    expect((await health.check()).status).toBe('pass');
    expect(client.nodes('master')).toHaveLength(3);
    await cluster.servers[1]?.freeze();
    try {
      const report = await health.check();
      expect(report.status).toBe('fail');
      expect(report.checks.redis?.output).toBe('timed out after 300 ms');
    } finally {
      await cluster.servers[1]?.thaw();
    }
    await eventually(async () => (await health.check()).status === 'pass');
  });
});
