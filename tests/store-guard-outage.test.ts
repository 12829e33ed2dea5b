/**
 * The store guard shared by @rampart/cache and @rampart/rate-limiter against a real
 * redis-server that is stopped, frozen (SIGSTOP) or restarted: the reported state returns to
 * healthy on its own (a probe on a timer, no user call), the first write after recovery
 * reaches Redis, and the cache's writes and deletes made during the outage are replayed so a
 * second instance never reads the values they replaced. Fake time drives the guard's timers;
 * sockets and processes stay real.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Cache,
  type CacheOptions,
  type CacheReplayEvent,
  cacheChannels,
  createCache,
} from '../packages/cache/src/index.ts';
import { recommendedRedisOptions, redisStore } from '../packages/cache/src/redis.ts';
import {
  pump,
  pumpUntil,
  trackUnhandledRejections,
  useFakeTimersWithRealIo,
} from '../packages/cache/test-support/fault-load.ts';
import { Redis } from '../packages/cache/test-support/ioredis.ts';
import { createRateLimiter } from '../packages/rate-limiter/src/index.ts';
import { redisStore as rateLimitStore } from '../packages/rate-limiter/src/redis.ts';
import type { StoreStateEvent } from '../packages/redis/src/index.ts';
import { hasRedisServer, type RedisServer, startRedisServer } from './harness/src/index.ts';

const TIMEOUT_MS = 50;
const COOL_DOWN_MS = 200;
const JOURNAL_MAX_ENTRIES = 10_000;

describe.runIf(hasRedisServer())('store guard against a failing Redis', () => {
  let server: RedisServer | undefined;
  const clients: Redis[] = [];
  const caches: Cache[] = [];
  const listeners: [string, (message: unknown) => void][] = [];

  afterEach(async () => {
    vi.useRealTimers();
    for (const [name, listener] of listeners.splice(0)) unsubscribe(name, listener);
    await Promise.all(caches.splice(0).map((cache) => cache.close()));
    for (const client of clients.splice(0)) client.disconnect();
    await server?.stop();
    server = undefined;
  });

  function listen<T>(name: string): T[] {
    const seen: T[] = [];
    const listener = (message: unknown): void => {
      seen.push(message as T);
    };
    subscribe(name, listener);
    listeners.push([name, listener]);
    return seen;
  }

  async function connect(url: string): Promise<Redis> {
    const client = new Redis(url, { ...recommendedRedisOptions, retryStrategy: () => 20 });
    client.on('error', () => {
      // Connection errors are expected here; the guard reports its own failures.
    });
    clients.push(client);
    await new Promise((resolve) => client.once('ready', resolve));
    return client;
  }

  async function setUp() {
    server = await startRedisServer();
    const client = await connect(server.url);
    const make = (extra: Partial<CacheOptions> = {}): Cache => {
      const cache = createCache({
        namespace: 'outage',
        ttlMs: 600_000,
        l2: redisStore({ client }),
        storeGuard: { timeoutMs: TIMEOUT_MS, failureThreshold: 2, coolDownMs: COOL_DOWN_MS },
        ...extra,
      });
      caches.push(cache);
      return cache;
    };
    return { server, client, writer: make(), make };
  }

  /** Calls until the writer cools down (Redis is down or frozen). */
  async function untilCoolingDown(cache: Cache): Promise<void> {
    for (let attempt = 0; cache.stats().l2.state !== 'cooling-down'; attempt++) {
      if (attempt > 20) throw new Error('L2 never cooled down');
      const pending = cache.get(`outage-probe-${attempt}`);
      await pump(TIMEOUT_MS);
      await pending;
    }
  }

  it('stopped and restarted: healthy again with no call, outage writes replayed, first write reaches Redis', async () => {
    const { server, client, writer, make } = await setUp();
    // From here on, deadlines run on fake time: a loaded machine cannot make them fire.
    useFakeTimersWithRealIo();
    const unhandled = trackUnhandledRejections();
    await writer.set('changed', 'before');
    await writer.set('deleted', 'before');
    await writer.set('untouched', 'before');
    const states = listen<StoreStateEvent>(cacheChannels.storeState);
    const replays = listen<CacheReplayEvent>(cacheChannels.replay);

    await server.kill();
    await untilCoolingDown(writer);
    await writer.set('changed', 'during');
    await writer.delete('deleted');
    expect(await writer.get('changed')).toBe('during');

    await server.restart();
    await pumpUntil(() => client.status === 'ready', 'the client to reconnect');
    // No call from here on: the guard's timer probe must bring L2 back by itself.
    await pumpUntil(() => writer.stats().l2.state === 'healthy', 'L2 to be healthy again');
    expect(states.at(-1)).toMatchObject({ component: 'cache', from: 'probing', to: 'healthy' });
    expect(replays).toEqual([expect.objectContaining({ keys: 2, cleared: false })]);

    // A restarted Redis without persistence lost everything; the replay must not have
    // brought anything back, and a write now reaches Redis at once.
    const reader = make({ l1: false });
    expect(await reader.get('changed')).toBeUndefined();
    expect(await reader.get('deleted')).toBeUndefined();
    await writer.set('after', 'fresh');
    expect(await reader.get('after')).toBe('fresh');
    expect(reader.stats().l2.hits).toBe(1);
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  it('frozen with SIGSTOP: outage writes and deletes are replayed before L2 is healthy, so a second instance reads the new state', async () => {
    const { server, writer, make } = await setUp();
    useFakeTimersWithRealIo();
    const unhandled = trackUnhandledRejections();
    await writer.set('changed', 'before');
    await writer.set('deleted', 'before');
    await writer.set('untouched', 'before');
    const reader = make({ l1: false });
    expect(await reader.get('changed')).toBe('before');

    await server.freeze();
    await untilCoolingDown(writer);
    await writer.set('changed', 'during');
    await writer.delete('deleted');
    await server.thaw();
    // Redis kept its data: without the replay the reader would get 'before' for both.
    await pumpUntil(() => writer.stats().l2.state === 'healthy', 'L2 to be healthy again');
    expect(writer.stats().l2.replays).toBe(1);
    expect(await reader.get('changed')).toBeUndefined();
    expect(await reader.get('deleted')).toBeUndefined();
    expect(await reader.get('untouched')).toBe('before');
    // The first write after recovery reaches Redis.
    await writer.set('changed', 'after');
    expect(await reader.get('changed')).toBe('after');
    await pump(TIMEOUT_MS * 2);
    unhandled.stop();
    expect(unhandled.reasons).toEqual([]);
  });

  it(`clears the namespace when more than ${JOURNAL_MAX_ENTRIES} keys changed during the outage, and says so`, async () => {
    const { server, writer, make } = await setUp();
    useFakeTimersWithRealIo();
    await writer.set('old', 'before');
    const other = make({ namespace: 'other' });
    await other.set('old', 'other namespace');
    const replays = listen<CacheReplayEvent>(cacheChannels.replay);

    await server.freeze();
    await untilCoolingDown(writer);
    for (let index = 0; index <= JOURNAL_MAX_ENTRIES; index++) await writer.delete(`k${index}`);
    await server.thaw();
    await pumpUntil(() => writer.stats().l2.state === 'healthy', 'L2 to be healthy again');
    expect(replays.filter((event) => event.namespace === 'outage')).toEqual([
      { name: 'outage', namespace: 'outage', keys: 0, tags: 0, overflowed: true, cleared: true },
    ]);
    expect(await make({ l1: false }).get('old')).toBeUndefined();
    expect(await make({ namespace: 'other', l1: false }).get('old')).toBe('other namespace');
  });

  it('rate limiter: state() returns to healthy on its own after Redis restarts', async () => {
    server = await startRedisServer();
    const client = await connect(server.url);
    useFakeTimersWithRealIo();
    const limiter = createRateLimiter({
      limits: [{ name: 'minute', limit: 100, windowMs: 60_000 }],
      store: rateLimitStore({ client }),
      storeGuard: { timeoutMs: TIMEOUT_MS, failureThreshold: 1, coolDownMs: COOL_DOWN_MS },
    });
    expect((await limiter.consume('a')).source).toBe('store');
    await server.kill();
    const during = limiter.consume('a');
    await pump(TIMEOUT_MS);
    expect((await during).source).toBe('fallback');
    expect(limiter.state().state).toBe('cooling-down');
    await server.restart();
    await pumpUntil(() => client.status === 'ready', 'the client to reconnect');
    await pumpUntil(() => limiter.state().state === 'healthy', 'the store to be healthy again');
    expect(limiter.state()).toMatchObject({ consecutiveFailures: 0, retryAfterMs: 0 });
    const after = limiter.consume('a');
    await pump(0);
    expect((await after).source).toBe('store');
    await limiter.close();
  });
});
