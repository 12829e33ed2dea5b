/**
 * @rampart/rate-limiter against a Redis that dies, hangs and comes back, under load: every
 * call resolves within the deadline (plus scheduling slack), nothing rejects unhandled, and
 * decisions return to the store by themselves.
 */
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRateLimiter, type RateLimiter } from '../packages/rate-limiter/src/index.ts';
import { redisStore } from '../packages/rate-limiter/src/redis.ts';
import {
  countSince,
  lastAllFrom,
  slowest,
  startLoad,
} from '../packages/rate-limiter/test-support/load.ts';

/** Above the default 50 ms: a 50 ms stall of a busy shared CI machine is not a Redis outage. */
const STORE_TIMEOUT_MS = 100;
/** Room for event-loop and scheduler delays on a busy two-core CI machine. */
const SLACK_MS = 200;

const clientOptions: Record<string, RedisOptions> = {
  'default ioredis options': {},
  'the recommended options': { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
};

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'rate limiter with a failing Redis ($name)',
  ({ Redis }) => {
    let server: RedisServer;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };

    beforeAll(async () => {
      server = await startRedisServer();
    });
    afterAll(() => server.stop());
    beforeEach(() => {
      unhandled.length = 0;
      process.on('unhandledRejection', onUnhandled);
    });
    afterEach(() => {
      process.off('unhandledRejection', onUnhandled);
    });

    for (const [label, options] of Object.entries(clientOptions)) {
      describe(`with ${label}`, () => {
        let client: Redis;
        let limiter: RateLimiter;
        beforeEach(async () => {
          client = new Redis(server.url, { ...options, retryStrategy: () => 20 });
          client.on('error', () => {}); // reconnection errors are expected here
          await new Promise((resolve) => client.once('ready', resolve));
          limiter = createRateLimiter({
            limits: [
              { name: 'second', limit: 1_000, windowMs: 1_000 },
              { name: 'minute', limit: 20_000, windowMs: 60_000, algorithm: 'sliding-window' },
            ],
            store: redisStore({ client }),
            storeTimeoutMs: STORE_TIMEOUT_MS,
            recovery: { failureThreshold: 3, coolDownMs: 100 },
          });
          // Load the script (Redis lost it in the previous restart) before measuring.
          expect((await limiter.consume('warm-up')).source).toBe('store');
        });
        afterEach(async () => {
          await limiter.close();
          client.disconnect();
        });

        it('answers every call in time from the fallback while Redis is killed, then returns to Redis', async () => {
          const load = startLoad(limiter);
          await load.until((samples) => samples.length >= 200, '200 healthy calls');
          await server.kill();
          const killedAt = load.samples.length;
          await load.until(
            (samples) => countSince(samples, killedAt, 'fallback') >= 300,
            '300 fallback decisions',
          );
          await server.restart();
          await load.until(
            (samples) => lastAllFrom(samples, 100, 'store'),
            '100 store decisions in a row',
          );
          await load.stop();

          const { samples } = load;
          // Before the kill, decisions come from Redis (a scheduler stall may push a few past
          // the deadline: they are answered by the fallback, as designed).
          const healthy = samples.slice(0, killedAt);
          const fromStore = healthy.filter((sample) => sample.source === 'store').length;
          expect(
            fromStore / healthy.length,
            'share of store decisions before the kill',
          ).toBeGreaterThan(0.9);
          expect(slowest(samples)).toBeLessThan(STORE_TIMEOUT_MS + SLACK_MS);
          expect(unhandled).toEqual([]);
        });

        it('answers every call in time while Redis hangs (SIGSTOP), then returns to Redis', async () => {
          const load = startLoad(limiter);
          await load.until((samples) => samples.length >= 200, '200 healthy calls');
          await server.freeze();
          const frozenAt = load.samples.length;
          try {
            await load.until(
              (samples) => countSince(samples, frozenAt, 'fallback') >= 300,
              '300 fallback decisions',
            );
          } finally {
            await server.thaw();
          }
          await load.until(
            (samples) => lastAllFrom(samples, 100, 'store'),
            '100 store decisions in a row',
          );
          await load.stop();
          expect(slowest(load.samples)).toBeLessThan(STORE_TIMEOUT_MS + SLACK_MS);
          expect(unhandled).toEqual([]);
        });
      });
    }
  },
);
