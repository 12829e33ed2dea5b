import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import { ConfigurationError, isRampartError, UnavailableError } from '@rampart/errors';
import { closeRedis, recommendedRedisOptions, waitForRedis } from '@rampart/redis';
import { hasRedisServer, startRedisServer, useRedis } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import fc from 'fast-check';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createRateLimiter,
  type RateLimiterStoreErrorEvent,
  rateLimiterChannels,
} from './index.ts';
import type { RateLimitAlgorithm, ResolvedLimit } from './limits.ts';
import { memoryStore } from './memory-store.ts';
import { redisStore } from './redis.ts';
import { storeConformanceChecks } from './test-suite.ts';

/** A local port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Calls per command name from `INFO commandstats`. */
async function commandCalls(client: Redis): Promise<Map<string, number>> {
  const calls = new Map<string, number>();
  for (const line of (await client.info('commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] !== undefined) calls.set(match[1], Number(match[2]));
  }
  return calls;
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'redisStore against a real Redis ($name)',
  ({ Redis }) => {
    let redis: Awaited<ReturnType<typeof useRedis>>;
    let client: Redis;
    let run = 0;
    const prefix = (): string => `test:${process.pid}:${++run}:`;

    beforeAll(async () => {
      redis = await useRedis();
      client = new Redis(redis.url);
    });
    afterAll(async () => {
      client.disconnect();
      await redis.release();
    });

    describe('conformance', () => {
      for (const check of storeConformanceChecks({ createStore: () => redisStore({ client }) })) {
        it(check.name, () => check.run());
      }
    });

    it('agrees with the memory store on random calls, limits and times (fast-check)', async () => {
      const algorithm = fc.constantFrom<RateLimitAlgorithm>(
        'gcra',
        'fixed-window',
        'sliding-window',
        'token-bucket',
      );
      const limit = fc
        .record({
          algorithm,
          limit: fc.integer({ min: 1, max: 10 }),
          windowMs: fc.constantFrom(1, 3, 40, 250, 1_000, 60_000),
          burst: fc.integer({ min: 1, max: 12 }),
        })
        .map(
          ({ algorithm: kind, limit: units, windowMs, burst }): ResolvedLimit => ({
            name: 'unnamed',
            algorithm: kind,
            limit: units,
            windowMs,
            capacity: kind === 'gcra' || kind === 'token-bucket' ? burst : units,
          }),
        );
      const limits = fc
        .array(limit, { minLength: 1, maxLength: 3 })
        .map((list) => list.map((value, index) => ({ ...value, name: `limit-${index}` })));
      const step = fc.record({
        gapMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 2_000 })),
        operation: fc.constantFrom('consume', 'consume', 'consume', 'peek', 'reward'),
        share: fc.double({ min: 0, max: 1, noNaN: true }),
      });
      const store = redisStore({ client });
      await fc.assert(
        fc.asyncProperty(limits, fc.array(step, { maxLength: 30 }), async (list, steps) => {
          const reference = memoryStore();
          const capacity = Math.min(...list.map((value) => value.capacity));
          const base = { prefix: prefix(), key: 'k', limits: list };
          let now = 1_750_000_000_000;
          for (const { gapMs, operation, share } of steps) {
            now += gapMs;
            const cost = 1 + Math.floor(share * (capacity - 1));
            const request = { ...base, cost, nowMs: now };
            const kind = operation as 'consume' | 'peek' | 'reward';
            expect(await store[kind](request)).toEqual(await reference[kind](request));
          }
        }),
        { numRuns: 60 },
      );
    });

    describe('through a limiter', () => {
      const day = 86_400_000;
      for (const algorithm of ['gcra', 'fixed-window', 'sliding-window', 'token-bucket'] as const) {
        it(`${algorithm}: 500 concurrent calls for one key with limit 100 admit exactly 100`, async () => {
          const limiter = createRateLimiter({
            limits: [{ name: 'day', limit: 100, windowMs: day, algorithm }],
            store: redisStore({ client }),
            prefix: prefix(),
            storeTimeoutMs: 10_000,
          });
          const decisions = await Promise.all(
            Array.from({ length: 500 }, () => limiter.consume('hot')),
          );
          expect(decisions.filter((decision) => decision.allowed)).toHaveLength(100);
          expect(new Set(decisions.map((decision) => decision.source))).not.toContain('fallback');
        });
      }

      it('costs exactly one script call per decision with two limits (INFO commandstats)', async () => {
        const limiter = createRateLimiter({
          limits: [
            { name: 'minute', limit: 60, windowMs: 60_000 },
            { name: 'hour', limit: 1000, windowMs: 3_600_000 },
          ],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
          blockCache: false,
        });
        await limiter.consume('warm-up'); // loads the script
        await client.config('RESETSTAT');
        const decisions = 250;
        for (let call = 0; call < decisions; call++) await limiter.consume(`user-${call % 100}`);
        const calls = await commandCalls(client);
        expect(calls.get('evalsha')).toBe(decisions);
        expect(calls.get('eval')).toBeUndefined();
        // Everything else ran inside the script: TIME, one GET and one SET, whatever the limits.
        expect(calls.get('get')).toBe(decisions);
        expect(calls.get('set')).toBe(decisions);
        const outside = [...calls.keys()].filter(
          (name) => !['evalsha', 'config|resetstat', 'time', 'get', 'set'].includes(name),
        );
        expect(outside).toEqual([]);
      });

      it('loads the script again after SCRIPT FLUSH (NOSCRIPT)', async () => {
        const limiter = createRateLimiter({
          limits: [{ name: 'm', limit: 5, windowMs: 60_000 }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
        });
        await limiter.consume('a');
        await client.script('FLUSH');
        await client.config('RESETSTAT');
        const decision = await limiter.consume('a');
        expect(decision).toMatchObject({ source: 'store', remaining: 3 });
        const calls = await commandCalls(client);
        expect(calls.get('eval')).toBe(1);
        expect((await limiter.consume('a')).remaining).toBe(2);
      });

      it('writes a burst in a few batches of doubling size, one EVALSHA per call', async () => {
        const limiter = createRateLimiter({
          limits: [{ name: 'day', limit: 1_000, windowMs: day }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
        });
        await limiter.consume('warm-up');
        await client.config('RESETSTAT');
        const cork = vi.spyOn(client.stream, 'cork');
        try {
          const decisions = await Promise.all(
            Array.from({ length: 200 }, (_, call) => limiter.consume(`user-${call % 50}`)),
          );
          expect(decisions.every((decision) => decision.source === 'store')).toBe(true);
          expect(Math.min(...decisions.map((decision) => decision.remaining))).toBe(996);
          // 8, 16, 32 and 64 as they queue up, the last 80 at the end of the tick.
          expect(cork).toHaveBeenCalledTimes(5);
        } finally {
          cork.mockRestore();
        }
        expect((await commandCalls(client)).get('evalsha')).toBe(200);
      });

      it('loads the script again when a burst meets NOSCRIPT', async () => {
        const limiter = createRateLimiter({
          limits: [{ name: 'day', limit: 100, windowMs: day }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
        });
        await limiter.consume('a');
        await client.script('FLUSH');
        const decisions = await Promise.all(Array.from({ length: 40 }, () => limiter.consume('a')));
        expect(decisions.every((decision) => decision.source === 'store')).toBe(true);
        expect(decisions.map((decision) => decision.remaining).sort((x, y) => y - x)).toEqual(
          Array.from({ length: 40 }, (_, index) => 98 - index),
        );
      });

      it('takes time from Redis TIME, not from the app server clock', async () => {
        const options = {
          limits: [{ name: 'm', limit: 2, windowMs: 60_000, algorithm: 'fixed-window' as const }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
        };
        const skewedBehind = createRateLimiter({ ...options, clock: { now: () => 0 } });
        const skewedAhead = createRateLimiter({ ...options, clock: { now: () => 4e12 } });
        const first = await skewedBehind.consume('a');
        const second = await skewedAhead.consume('a');
        expect(first.remaining).toBe(1);
        expect(second.remaining).toBe(0);
        expect(second.resetMs).toBeGreaterThan(0);
        expect(second.resetMs).toBeLessThanOrEqual(60_000);
        expect(first.resetMs - second.resetMs).toBeGreaterThanOrEqual(0);
      });

      it('keeps one key per caller, hash-tagged by the caller, escaping braces', async () => {
        const base = prefix();
        const limiter = createRateLimiter({
          store: redisStore({ client }),
          prefix: base,
          storeTimeoutMs: 10_000,
        });
        await limiter.consume('user:{42}%');
        await limiter.consume('user:%7B42%7D%');
        expect((await client.keys(`${base}*`)).sort()).toEqual([
          `${base}{user:%257B42%257D%25}:minute+hour`,
          `${base}{user:%7B42%7D%25}:minute+hour`,
        ]);
        expect(await client.strlen(`${base}{user:%7B42%7D%25}:minute+hour`)).toBe(50);
      });

      it('expires the key exactly when the last of its limits stops mattering', async () => {
        const base = prefix();
        const limiter = createRateLimiter({
          limits: [
            { name: 'gcra', limit: 60, windowMs: 60_000 },
            { name: 'fixed', limit: 10, windowMs: 3_600_000, algorithm: 'fixed-window' },
            { name: 'sliding', limit: 10, windowMs: 60_000, algorithm: 'sliding-window' },
            { name: 'bucket', limit: 10, windowMs: 10_000, algorithm: 'token-bucket' },
          ],
          store: redisStore({ client }),
          prefix: base,
          storeTimeoutMs: 10_000,
        });
        const key = `${base}{a}:gcra+fixed+sliding+bucket`;
        const decision = await limiter.consume('a', { cost: 3 });
        // The key matters until the last of its limits is back to full: here the fixed window.
        const longest = Math.max(...decision.policies.map((policy) => policy.resetMs));
        expect(longest).toBe(decision.policies[1]?.resetMs);
        const ttl = await client.pttl(key);
        expect(ttl).toBeGreaterThan(longest - 50);
        expect(ttl).toBeLessThanOrEqual(longest);
        expect(decision.policies[0]?.resetMs).toBe(3_000);
        // Back to a fresh state: the key is gone, not left to expire.
        await limiter.reward('a', 3);
        expect(await client.exists(key)).toBe(0);
        await limiter.consume('a');
        expect(await client.exists(key)).toBe(1);
        await limiter.reset('a');
        expect(await client.keys(`${base}*`)).toEqual([]);
      });

      it('handles sub-second windows with Redis time', async () => {
        const limiter = createRateLimiter({
          limits: [{ name: 'tick', limit: 1, windowMs: 40, algorithm: 'fixed-window' }],
          store: redisStore({ client }),
          prefix: prefix(),
          storeTimeoutMs: 10_000,
          blockCache: false,
        });
        let admitted = await limiter.consume('a');
        if (!admitted.allowed) {
          await new Promise((resolve) => setTimeout(resolve, admitted.retryAfterMs + 1));
          admitted = await limiter.consume('a');
        }
        expect(admitted.allowed).toBe(true);
        const rejected = await limiter.consume('a');
        if (!rejected.allowed) {
          expect(rejected.retryAfterMs).toBeGreaterThan(0);
          expect(rejected.retryAfterMs).toBeLessThanOrEqual(40);
          await new Promise((resolve) => setTimeout(resolve, rejected.retryAfterMs + 2));
        }
        expect((await limiter.consume('a')).allowed).toBe(true);
      });
    });

    describe('before the client is ready', () => {
      const limits = [{ name: 'minute', limit: 5, windowMs: 60_000 }];

      it('decides from the store for a client created in the same tick', async () => {
        const fresh = new Redis(redis.url, recommendedRedisOptions);
        const limiter = createRateLimiter({
          prefix: prefix(),
          limits,
          store: redisStore({ client: fresh }),
          storeTimeoutMs: 10_000, // far above a local connection, even on a loaded machine
        });
        expect(fresh.status).not.toBe('ready');
        expect(await limiter.consume('user')).toMatchObject({ allowed: true, source: 'store' });
        await limiter.close();
        await closeRedis(fresh);
      });

      it('charges every call made in that tick exactly once, whatever the burst (fast-check)', async () => {
        await fc.assert(
          fc.asyncProperty(
            fc.integer({ min: 1, max: 12 }),
            fc.integer({ min: 1, max: 2 }),
            async (calls, cost) => {
              const fresh = new Redis(redis.url, recommendedRedisOptions);
              const limiter = createRateLimiter({
                prefix: prefix(),
                limits,
                store: redisStore({ client: fresh }),
                storeTimeoutMs: 10_000,
              });
              const decisions = await Promise.all(
                Array.from({ length: calls }, () => limiter.consume('user', { cost })),
              );
              expect(decisions.every((decision) => decision.source === 'store')).toBe(true);
              const admitted = decisions.filter((decision) => decision.allowed).length;
              expect(admitted).toBe(Math.min(calls, Math.floor(5 / cost)));
              await limiter.close();
              await closeRedis(fresh);
            },
          ),
          { numRuns: 10 },
        );
      });

      it('does not wait for a stopped Redis, and decides from it again once it is restarted', async () => {
        const server = await startRedisServer();
        await server.kill();
        const fresh = new Redis(server.url, {
          ...recommendedRedisOptions,
          retryStrategy: () => 20,
        });
        fresh.on('error', () => {});
        const codes: string[] = [];
        const onError = (message: unknown): void => {
          codes.push((message as RateLimiterStoreErrorEvent).code);
        };
        subscribe(rateLimiterChannels.storeError, onError);
        try {
          const limiter = createRateLimiter({
            name: 'stopped',
            prefix: prefix(),
            limits,
            store: redisStore({ client: fresh }),
            storeTimeoutMs: 60_000, // were the call waiting for the deadline, the test would time out
          });
          expect(await limiter.consume('user')).toMatchObject({ source: 'fallback' });
          expect(codes).toEqual(['E_UNAVAILABLE']); // the refused connection, not the deadline
          await server.restart();
          await waitForRedis(fresh, { timeoutMs: 10_000 });
          expect(await limiter.consume('user')).toMatchObject({ source: 'store' });
          await limiter.close();
        } finally {
          unsubscribe(rateLimiterChannels.storeError, onError);
          await closeRedis(fresh);
          await server.stop();
        }
      }, 30_000);

      it('never sends a call whose deadline passed while connecting to a hung Redis', async () => {
        const server = await startRedisServer();
        await server.freeze();
        const fresh = new Redis(server.url, recommendedRedisOptions);
        fresh.on('error', () => {});
        try {
          const limiter = createRateLimiter({
            prefix: 'hung:',
            limits,
            store: redisStore({ client: fresh }),
            storeTimeoutMs: 50,
          });
          expect(await limiter.consume('user')).toMatchObject({ source: 'fallback' });
          await limiter.close();
          const ready = new Promise((resolve) => fresh.once('ready', resolve));
          await server.thaw();
          await ready;
          expect(await fresh.keys('hung:*')).toEqual([]);
        } finally {
          await closeRedis(fresh);
          await server.stop();
        }
      }, 20_000);
    });

    describe('failures', () => {
      let offline: Redis;
      beforeEach(async () => {
        offline = new Redis({
          port: await closedPort(),
          lazyConnect: true,
          enableOfflineQueue: false,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        });
        offline.on('error', () => {}); // refused connections are the point here
      });

      it('rejects with an UnavailableError carrying the client error as its cause', async () => {
        const store = redisStore({ client: offline });
        const request = {
          prefix: 'p:',
          key: 'k',
          limits: [{ name: 'm', algorithm: 'gcra' as const, limit: 1, windowMs: 1, capacity: 1 }],
          cost: 1,
        };
        const error = await store.consume(request).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(UnavailableError);
        expect((error as UnavailableError).cause).toBeInstanceOf(Error);
        const reset = await store.reset(request).catch((caught: unknown) => caught);
        expect(isRampartError(reset, 'E_UNAVAILABLE')).toBe(true);
        offline.disconnect();
      });

      it('lets the limiter answer from the fallback', async () => {
        const limiter = createRateLimiter({ store: redisStore({ client: offline }) });
        expect(await limiter.consume('a')).toMatchObject({ allowed: true, source: 'fallback' });
        offline.disconnect();
      });

      it('rejects a client that is not ioredis', () => {
        expect(() => redisStore({ client: {} as never })).toThrow(ConfigurationError);
        expect(() => redisStore({ client: {} as never })).toThrow(
          'redisStore: `client` must be an ioredis client',
        );
      });
    });
  },
);
