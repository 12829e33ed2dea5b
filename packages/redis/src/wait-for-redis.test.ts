import { TimeoutError, UnavailableError, ValidationError } from '@rampart/errors';
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedisClient } from './client.ts';
import { closeRedis } from './close-redis.ts';
import { readyWaiterCount } from './internal/ready-waiters.ts';
import { pendingConnection, waitForRedis } from './wait-for-redis.ts';

describe('waitForRedis validation', () => {
  const { Redis } = ioredisClients[0] as (typeof ioredisClients)[number];

  it('names the bad argument', async () => {
    const client = new Redis({ lazyConnect: true });
    expect(() => waitForRedis(null as never)).toThrow(/waitForRedis: `client`/);
    for (const timeoutMs of [0, -5, 2.5, 2 ** 31, '100']) {
      expect(() => waitForRedis(client, { timeoutMs } as never)).toThrow(ValidationError);
      expect(() => waitForRedis(client, { timeoutMs } as never)).toThrow(/`options.timeoutMs`/);
    }
    expect(() => waitForRedis(client, { signal: 'soon' } as never)).toThrow(/`options.signal`/);
    expect(() => waitForRedis(client, 5 as never)).toThrow(/`options`/);
    expect(client.status).toBe('wait');
    await closeRedis(client);
  });
});

describe.runIf(hasRedisServer()).each(ioredisClients)('waitForRedis on $name', ({ Redis }) => {
  let server: RedisServer;
  let stopped: RedisServer;
  const clients: RedisClient[] = [];
  const track = <T extends RedisClient>(client: T): T => {
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    server = await startRedisServer();
    stopped = await startRedisServer();
    await stopped.kill();
  });
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
  });
  afterAll(async () => {
    await server?.stop();
    await stopped?.stop();
  });

  it('resolves once a client created in the same tick is ready, leaving no listener', async () => {
    const client = track(new Redis(server.url, { enableOfflineQueue: false }));
    const listeners = client.listenerCount('ready');
    await waitForRedis(client, { timeoutMs: 10_000 });
    expect(client.status).toBe('ready');
    expect(client.listenerCount('ready')).toBe(listeners);
    expect(readyWaiterCount(client)).toBe(0);
    await expect(waitForRedis(client)).resolves.toBeUndefined();
  });

  it('connects a lazy client', async () => {
    const client = track(new Redis(server.url, { lazyConnect: true }));
    await waitForRedis(client);
    expect(client.status).toBe('ready');
  });

  it('serves many waiters with one listener per event', async () => {
    const client = track(new Redis(server.url, { enableOfflineQueue: false }));
    const waits = Array.from({ length: 50 }, () => waitForRedis(client));
    expect(client.listenerCount('ready')).toBeLessThanOrEqual(2);
    await Promise.all(waits);
    expect(readyWaiterCount(client)).toBe(0);
  });

  it('rejects with a TimeoutError after timeoutMs while Redis is down, and cleans up', async () => {
    vi.useFakeTimers();
    const client = track(new Redis(stopped.url, { enableOfflineQueue: false }));
    const wait = waitForRedis(client, { timeoutMs: 3_000 });
    const outcome = expect(wait).rejects.toBeInstanceOf(TimeoutError);
    await vi.advanceTimersByTimeAsync(3_000);
    await outcome;
    await expect(wait).rejects.toThrow('Redis was not ready within 3000 ms');
    expect(readyWaiterCount(client)).toBe(0);
  });

  it('rejects with the signal reason when aborted', async () => {
    const client = track(new Redis(stopped.url, { enableOfflineQueue: false }));
    const controller = new AbortController();
    const wait = waitForRedis(client, { signal: controller.signal });
    const reason = new Error('shutting down');
    controller.abort(reason);
    await expect(wait).rejects.toBe(reason);
    expect(readyWaiterCount(client)).toBe(0);
    await expect(waitForRedis(client, { signal: controller.signal })).rejects.toBe(reason);
  });

  it('rejects with an UnavailableError when the client is closed while waiting', async () => {
    const client = track(
      new Redis(stopped.url, { enableOfflineQueue: false, retryStrategy: () => 10 }),
    );
    const wait = waitForRedis(client);
    const outcome = expect(wait).rejects.toBeInstanceOf(UnavailableError);
    await new Promise((resolve) => client.once('reconnecting', resolve));
    await closeRedis(client);
    expect(client.status).toBe('end');
    await outcome;
    await expect(waitForRedis(client)).rejects.toBeInstanceOf(UnavailableError);
  });

  it('waits through reconnects until Redis is back', async () => {
    const down = await startRedisServer();
    await down.kill();
    const client = track(
      new Redis(down.url, { enableOfflineQueue: false, retryStrategy: () => 20 }),
    );
    const wait = waitForRedis(client, { timeoutMs: 60_000 });
    await new Promise((resolve) => client.once('reconnecting', resolve));
    await down.restart();
    await wait;
    expect(client.status).toBe('ready');
    await closeRedis(client);
    await down.stop();
  });
});

describe.runIf(hasRedisServer()).each(ioredisClients)('pendingConnection on $name', ({ Redis }) => {
  let server: RedisServer;
  let stopped: RedisServer;
  const clients: RedisClient[] = [];
  const track = <T extends RedisClient>(client: T): T => {
    client.on('error', () => {});
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    server = await startRedisServer();
    stopped = await startRedisServer();
    await stopped.kill();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => closeRedis(client)));
  });
  afterAll(async () => {
    await server?.stop();
    await stopped?.stop();
  });

  it('lets a command sent in the tick the client was created succeed', async () => {
    const client = track(new Redis(server.url, { enableOfflineQueue: false }));
    await expect(client.ping()).rejects.toThrow(/enableOfflineQueue/);
    const connecting = pendingConnection(client, AbortSignal.timeout(10_000));
    expect(connecting).toBeInstanceOf(Promise);
    await connecting;
    await expect(client.ping()).resolves.toBe('PONG');
    expect(pendingConnection(client)).toBeUndefined();
    expect(readyWaiterCount(client)).toBe(0);
  });

  it('fails as soon as the connection attempt fails, and not at all while reconnecting', async () => {
    const client = track(
      new Redis(stopped.url, { enableOfflineQueue: false, retryStrategy: () => 50 }),
    );
    await expect(pendingConnection(client)).rejects.toBeInstanceOf(UnavailableError);
    expect(readyWaiterCount(client)).toBe(0);
    if (client.status === 'reconnecting') expect(pendingConnection(client)).toBeUndefined();
  });

  it('stops waiting when the signal aborts, and forgets the waiter', async () => {
    const frozen = await startRedisServer();
    await frozen.freeze();
    try {
      const client = track(new Redis(frozen.url, { enableOfflineQueue: false }));
      const controller = new AbortController();
      const waits = Array.from({ length: 20 }, () => pendingConnection(client, controller.signal));
      expect(readyWaiterCount(client)).toBe(20);
      controller.abort(new Error('deadline'));
      for (const wait of waits) await expect(wait).rejects.toThrow('deadline');
      expect(readyWaiterCount(client)).toBe(0);
      expect(client.listenerCount('ready')).toBe(0);
    } finally {
      await frozen.thaw();
      await frozen.stop();
    }
  });
});
