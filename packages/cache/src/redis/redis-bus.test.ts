import { recommendedRedisOptions } from '@rampart/redis';
import {
  hasRedisServer,
  type RedisServer,
  startRedisServer,
  useRedis,
} from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { pump, pumpUntil, useFakeTimersWithRealIo } from '../../test-support/fault-load.ts';
import type { CacheBusHandlers } from '../bus.ts';
import { redisBus } from './redis-bus.ts';

async function ready(client: Redis): Promise<Redis> {
  client.on('error', () => {
    // Connection errors are expected in the fault tests.
  });
  if (client.status !== 'ready') await new Promise((resolve) => client.once('ready', resolve));
  return client;
}

function recorder() {
  const events: string[] = [];
  const handlers: CacheBusHandlers = {
    message: (payload) => events.push(`message ${payload}`),
    connected: () => events.push('connected'),
    disconnected: () => events.push('disconnected'),
  };
  return { events, handlers };
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'redisBus on a single Redis node ($name)',
  ({ Redis }) => {
    let redis: Awaited<ReturnType<typeof useRedis>>;
    let client: Redis;
    beforeAll(async () => {
      redis = await useRedis();
      client = await ready(new Redis(redis.url, recommendedRedisOptions));
    });
    afterAll(async () => {
      client.disconnect();
      await redis.release();
    });

    it("delivers a namespace's messages to each of its subscribers, and only those", async () => {
      const bus = redisBus({ client });
      const first = recorder();
      const second = recorder();
      const other = recorder();
      const a = bus.subscribe('ns', first.handlers);
      bus.subscribe('ns', second.handlers);
      bus.subscribe('elsewhere', other.handlers);
      await vi.waitFor(() => expect(second.events).toContain('connected'));
      await vi.waitFor(() => expect(first.events).toContain('connected'));
      expect(a.connected).toBe(true);
      await a.publish('hello', AbortSignal.timeout(1000));
      await vi.waitFor(() => expect(second.events).toContain('message hello'));
      expect(first.events).toContain('message hello');
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(other.events).toEqual(['connected']);
      await bus.close();
      expect(a.connected).toBe(false);
    });

    it('opens one named subscriber connection per subscription and closes it with the subscription', async () => {
      const named = await ready(
        new Redis(redis.url, { ...recommendedRedisOptions, connectionName: 'orders-service' }),
      );
      const bus = redisBus({ client: named });
      const { events, handlers } = recorder();
      const subscription = bus.subscribe('ns', handlers);
      await vi.waitFor(() => expect(events).toEqual(['connected']));
      expect(String(await client.client('LIST'))).toContain('name=orders-service:bus ');
      await subscription.close();
      await vi.waitFor(async () =>
        expect(String(await client.client('LIST'))).not.toContain('name=orders-service:bus '),
      );
      named.disconnect();
    });

    it('validates its options', () => {
      // @ts-expect-error not a client
      expect(() => redisBus({ client: {} })).toThrow(
        'redisBus: `client` must be an ioredis Redis or Cluster client',
      );
      expect(() => redisBus({ client, heartbeatMs: 0 })).toThrow(
        '`heartbeatMs` must be a positive integer',
      );
      const unsafe = new Redis(redis.url, { lazyConnect: true, maxRetriesPerRequest: null });
      expect(() => redisBus({ client: unsafe })).toThrow(/enableOfflineQueue: true/);
      unsafe.disconnect();
    });
  },
);

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'redisBus with a failing Redis ($name)',
  ({ Redis }) => {
    let server: RedisServer | undefined;
    let client: Redis | undefined;
    afterEach(async () => {
      vi.useRealTimers();
      client?.disconnect();
      await server?.stop();
    });

    it('notices a hung server through its heartbeat, and reconnects once it answers again', async () => {
      server = await startRedisServer();
      client = await ready(new Redis(server.url, recommendedRedisOptions));
      useFakeTimersWithRealIo();
      const bus = redisBus({ client, heartbeatMs: 100 });
      const { events, handlers } = recorder();
      bus.subscribe('ns', handlers);
      await pumpUntil(() => events.includes('connected'), 'the subscription');
      await server.freeze();
      await pump(250, 10);
      expect(events).toEqual(['connected', 'disconnected']);
      await server.thaw();
      await pumpUntil(() => events.length === 3, 'the subscription to return');
      expect(events).toEqual(['connected', 'disconnected', 'connected']);
      await bus.close();
    });

    it('reconnects after the server restarts', async () => {
      server = await startRedisServer();
      client = await ready(
        new Redis(server.url, { ...recommendedRedisOptions, retryStrategy: () => 20 }),
      );
      useFakeTimersWithRealIo();
      const bus = redisBus({ client });
      const { events, handlers } = recorder();
      const subscription = bus.subscribe('ns', handlers);
      await pumpUntil(() => events.includes('connected'), 'the subscription');
      await server.kill();
      await pumpUntil(() => events.includes('disconnected'), 'the loss to be noticed');
      await server.restart();
      await pumpUntil(() => events.length === 3, 'the subscription to return');
      await pumpUntil(() => client?.status === 'ready', 'the publisher to reconnect');
      await subscription.publish('after-restart', AbortSignal.timeout(1000));
      await pumpUntil(() => events.includes('message after-restart'), 'the message');
      await bus.close();
    });
  },
);
