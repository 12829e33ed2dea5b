/**
 * @rampart/cache against a real redis-server that dies or hangs under load: every call must
 * settle within l2TimeoutMs with an L1 or factory value, nothing may reject unhandled, and
 * L2 must be used again once Redis is back. Fake time drives the cache's deadlines and
 * ioredis's reconnects; sockets and processes stay real.
 */

import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Cache, type CacheOptions, createCache } from '../packages/cache/src/index.ts';
import { recommendedRedisOptions, redisStore } from '../packages/cache/src/redis.ts';
import {
  expectedValue,
  keysOf,
  pump,
  pumpUntil,
  trackUnhandledRejections,
  useFakeTimersWithRealIo,
  wave,
} from '../packages/cache/test-support/fault-load.ts';
import { hasRedisServer, type RedisServer, startRedisServer } from './harness/src/index.ts';

const L2_TIMEOUT_MS = 50;
const COOLDOWN_MS = 200;

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'cache with a failing Redis ($name)',
  ({ Redis }) => {
    let server: RedisServer | undefined;
    let client: Redis | undefined;
    const caches: Cache[] = [];

    afterEach(async () => {
      vi.useRealTimers();
      await Promise.all(caches.splice(0).map((cache) => cache.close()));
      client?.disconnect();
      await server?.stop();
    });

    async function setUp(options: Partial<CacheOptions> = {}) {
      server = await startRedisServer();
      client = new Redis(server.url, { ...recommendedRedisOptions, retryStrategy: () => 20 });
      const connected = client;
      connected.on('error', () => {
        // Connection errors are expected here; the cache reports its own failures as events.
      });
      await new Promise((resolve) => connected.once('ready', resolve));
      const store = redisStore({ client: connected });
      const make = (extra: Partial<CacheOptions> = {}): Cache => {
        const cache = createCache({
          namespace: 'fault',
          ttlMs: 600_000,
          l2TimeoutMs: L2_TIMEOUT_MS,
          l2CooldownMs: COOLDOWN_MS,
          l2FailureThreshold: 3,
          l2: store,
          ...options,
          ...extra,
        });
        caches.push(cache);
        return cache;
      };
      const cache = make();
      const warm = keysOf('warm:', 100);
      await Promise.all(warm.map((key) => cache.getOrSet(key, () => expectedValue(key))));
      return { server, client: connected, cache, warm, make };
    }

    it('settles every call within l2TimeoutMs when Redis is killed mid-load, then uses Redis again after a restart', async () => {
      const { server, client, cache, warm, make } = await setUp();
      const unhandled = trackUnhandledRejections();
      useFakeTimersWithRealIo();

      const calls = wave(cache, [...warm, ...keysOf('cold:', 200)]);
      await server.kill();
      calls.push(...wave(cache, [...warm, ...keysOf('cold:', 200, 200)]));
      await pump(L2_TIMEOUT_MS);
      expect(calls.filter((call) => !call.settled).map((call) => call.key)).toEqual([]);
      expect(calls.filter((call) => call.error !== undefined)).toEqual([]);
      expect(calls.every((call) => call.value === expectedValue(call.key))).toBe(true);
      expect(cache.stats().l2.state).toBe('cooling-down');

      // While cooling down, calls skip Redis: they settle without any time passing.
      const during = wave(cache, keysOf('during:', 100));
      await pump(0);
      expect(during.every((call) => call.settled && call.value === expectedValue(call.key))).toBe(
        true,
      );

      await server.restart();
      await pumpUntil(() => client.status === 'ready', 'the client to reconnect');
      await pump(COOLDOWN_MS);
      await cache.get('probe');
      await pumpUntil(() => cache.stats().l2.state === 'healthy', 'L2 to be healthy again');

      await cache.set('after-restart', 'fresh');
      const reader = make({ l1: false });
      expect(await reader.get('after-restart')).toBe('fresh');
      expect(reader.stats().l2.hits).toBe(1);
      await pump(10);
      unhandled.stop();
      expect(unhandled.reasons).toEqual([]);
    });

    it('cuts every call off at l2TimeoutMs while Redis hangs, and recovers when it resumes', async () => {
      const { server, cache, warm, make } = await setUp({ l2FailureThreshold: 10_000 });
      const unhandled = trackUnhandledRejections();
      useFakeTimersWithRealIo();

      await server.freeze();
      const cold = keysOf('cold:', 200);
      const warmCalls = wave(cache, warm);
      const coldCalls = wave(cache, cold);
      await pump(L2_TIMEOUT_MS - 5);
      expect(
        warmCalls.every((call) => call.settled && call.value === expectedValue(call.key)),
      ).toBe(true);
      expect(coldCalls.some((call) => call.settled)).toBe(false);
      await pump(5);
      expect(
        coldCalls.every((call) => call.settled && call.value === expectedValue(call.key)),
      ).toBe(true);
      expect(cache.stats().l2.timeouts).toBeGreaterThanOrEqual(cold.length);

      await server.thaw();
      await cache.set('after-thaw', 'fresh');
      const reader = make({ l1: false });
      expect(await reader.get('after-thaw')).toBe('fresh');
      await pump(L2_TIMEOUT_MS * 2);
      unhandled.stop();
      expect(unhandled.reasons).toEqual([]);
    });
  },
);
