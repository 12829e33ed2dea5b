/**
 * @rampart/rate-limiter on a real 3-master Redis Cluster: the same suite as on one node
 * (conformance, exact concurrency, one script call per decision), hash tags, and a master
 * killed and restarted under load.
 */
import { hasRedisServer, type RedisCluster, startRedisCluster } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { type Cluster, Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../packages/rate-limiter/src/index.ts';
import { redisStore } from '../packages/rate-limiter/src/redis.ts';
import { storeConformanceChecks } from '../packages/rate-limiter/src/test-suite.ts';
import { lastAllFrom, slowest, startLoad } from '../packages/rate-limiter/test-support/load.ts';

/** Sums `INFO commandstats` calls per command over every master. */
async function clusterCommandCalls(cluster: RedisCluster): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const node of cluster.nodes) {
    const client = new Redis(node.port, node.host);
    for (const line of (await client.info('commandstats')).split('\r\n')) {
      const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
      if (match?.[1] !== undefined) {
        calls.set(match[1], (calls.get(match[1]) ?? 0) + Number(match[2]));
      }
    }
    client.disconnect();
  }
  return calls;
}

async function resetStats(cluster: RedisCluster): Promise<void> {
  for (const node of cluster.nodes) {
    const client = new Redis(node.port, node.host);
    await client.config('RESETSTAT');
    client.disconnect();
  }
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'rate limiter on a 3-master Redis Cluster ($name)',
  ({ Cluster }) => {
    let cluster: RedisCluster;
    let client: Cluster;
    let run = 0;
    const prefix = (): string => `cluster-test:${++run}:`;

    beforeAll(async () => {
      cluster = await startRedisCluster();
      client = new Cluster([...cluster.nodes], { redisOptions: { maxRetriesPerRequest: 1 } });
      client.on('error', () => {}); // node failures are provoked below
      await new Promise((resolve) => client.once('ready', resolve));
    });
    afterAll(async () => {
      client.disconnect();
      await cluster.stop();
    });

    describe('conformance', () => {
      for (const check of storeConformanceChecks({
        createStore: () => redisStore({ client }),
        sequences: 8,
      })) {
        it(check.name, () => check.run());
      }
    });

    for (const algorithm of ['gcra', 'fixed-window', 'sliding-window', 'token-bucket'] as const) {
      it(`${algorithm}: 500 concurrent calls for one key with limit 100 admit exactly 100`, async () => {
        const limiter = createRateLimiter({
          limits: [{ name: 'day', limit: 100, windowMs: 86_400_000, algorithm }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
        });
        const decisions = await Promise.all(
          Array.from({ length: 500 }, () => limiter.consume('hot')),
        );
        expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100);
        expect(decisions.map((decision) => decision.source)).not.toContain('fallback');
      });
    }

    it('costs one script call per decision with two limits, summed over the masters', async () => {
      const limiter = createRateLimiter({
        store: redisStore({ client }),
        prefix: prefix(),
        storeTimeoutMs: 10_000,
        blockCache: false,
      });
      const callers = Array.from({ length: 30 }, (_, index) => `user-${index}`);
      for (const caller of callers) await limiter.consume(caller); // loads the script on each master
      await resetStats(cluster);
      for (let round = 0; round < 4; round++) {
        for (const caller of callers) await limiter.consume(caller);
      }
      const calls = await clusterCommandCalls(cluster);
      expect(calls.get('evalsha')).toBe(callers.length * 4);
      expect(calls.get('eval')).toBeUndefined();
    });

    it('bans callers over their limit on every master, still one script call per decision', async () => {
      const limiter = createRateLimiter({
        limits: [{ name: 'minute', limit: 2, windowMs: 60_000 }],
        store: redisStore({ client }),
        prefix: prefix(),
        blockDurationMs: 600_000,
        storeTimeoutMs: 10_000,
        blockCache: false,
      });
      const callers = Array.from({ length: 20 }, (_, index) => `user-${index}`);
      for (const caller of callers) await limiter.consume(caller); // loads the script on each master
      await resetStats(cluster);
      for (let round = 0; round < 3; round++) {
        for (const caller of callers) await limiter.consume(caller);
      }
      // The warm-up and round 1 fill the limit, round 2 is rejected and bans, round 3 meets the ban.
      for (const caller of callers) {
        const decision = await limiter.peek(caller);
        expect(decision.allowed).toBe(false);
        expect(decision.retryAfterMs).toBeGreaterThan(590_000);
      }
      const calls = await clusterCommandCalls(cluster);
      expect(calls.get('evalsha')).toBe(callers.length * 4);
      await limiter.reset('user-0'); // ban and counts are deleted together (one slot)
      expect((await limiter.consume('user-0')).allowed).toBe(true);
    });

    it('keeps each caller in one hash-tagged key, and spreads callers over the masters', async () => {
      const base = prefix();
      const limiter = createRateLimiter({ store: redisStore({ client }), prefix: base });
      const slots = new Set<number>();
      for (let index = 0; index < 40; index++) {
        await limiter.consume(`user-${index}`);
        const key = `${base}{user-${index}}:minute+hour`;
        expect(await client.exists(key)).toBe(1);
        const slot = (await client.cluster('KEYSLOT', key)) as number;
        expect(slot).toBe((await client.cluster('KEYSLOT', `{user-${index}}`)) as number);
        slots.add(Math.floor(slot / 5_462)); // roughly which master's third of the slots
      }
      expect(slots.size).toBeGreaterThan(1);
    });

    describe('when a master dies under load', () => {
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown): void => {
        unhandled.push(reason);
      };
      beforeEach(() => {
        process.on('unhandledRejection', onUnhandled);
      });
      afterEach(() => {
        process.off('unhandledRejection', onUnhandled);
      });

      it('answers every call within the deadline, then returns to the store by itself', async () => {
        const storeTimeoutMs = 50;
        const limiter = createRateLimiter({
          limits: [{ name: 'second', limit: 1_000, windowMs: 1_000 }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs,
          recovery: { failureThreshold: 3, coolDownMs: 100 },
        });
        const load = startLoad(limiter, 16, 96);
        await load.until((samples) => lastAllFrom(samples, 200, 'store'), '200 healthy calls');
        const victim = cluster.servers[1];
        await victim?.kill();
        const killedAt = load.samples.length;
        await load.until(
          (samples) => samples.slice(killedAt).some((sample) => sample.source === 'fallback'),
          'a fallback decision',
        );
        await victim?.restart();
        await load.until(
          (samples) => lastAllFrom(samples, 200, 'store'),
          '200 store decisions in a row',
        );
        await load.stop();
        expect(slowest(load.samples)).toBeLessThan(storeTimeoutMs + 200);
        expect(unhandled).toEqual([]);
        await limiter.close();
      });
    });
  },
);
