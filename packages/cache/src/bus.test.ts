import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { describe, expect, it, vi } from 'vitest';
import { settle, useFakeTime } from '../test-support/fake-time.ts';
import { instances } from '../test-support/instances.ts';
import { memoryBus } from '../test-support/memory-bus.ts';
import { type CacheBusEvent, cacheChannels } from './channels.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

/** Lets queued bus deliveries and L2 calls run. */

describe('bus', () => {
  it("drops other instances' L1 copies after set, delete, deleteMany and clear", async () => {
    const {
      caches: [a, b],
    } = instances(2);
    if (a === undefined || b === undefined) throw new Error('no caches');
    await settle();
    await a.set('k', 1);
    expect(await b.get('k')).toBe(1);
    expect(b.stats().l1.entries).toBe(1);

    await a.set('k', 2);
    await settle();
    expect(b.stats().l1.entries).toBe(0);
    expect(await b.get('k')).toBe(2);

    await a.delete('k');
    await settle();
    expect(await b.get('k')).toBeUndefined();

    await Promise.all(['x', 'y', 'z'].map((key) => a.set(key, key)));
    expect(await b.getMany(['x', 'y', 'z'])).toEqual(['x', 'y', 'z']);
    await a.deleteMany(['x', 'y']);
    await settle();
    expect(await b.getMany(['x', 'y', 'z'])).toEqual([undefined, undefined, 'z']);

    await a.clear();
    await settle();
    expect(b.stats().l1.entries).toBe(0);
    expect(await b.get('z')).toBeUndefined();
    expect(b.stats().bus).toMatchObject({ state: 'connected', received: 8 });
    expect(a.stats().bus.published).toBe(8);
  });

  it('publishes keys and tags only, never values, and ignores its own messages', async () => {
    const {
      caches: [a],
      bus,
    } = instances(1);
    await settle();
    await a?.set('secret', { password: 'hunter2' }, { tags: ['users'] });
    await a?.deleteByTag('users');
    await settle();
    expect(bus.published.join('\n')).not.toContain('hunter2');
    expect(bus.published.every((payload) => payload.startsWith('b1'))).toBe(true);
    expect(a?.stats().bus.received).toBe(0);
  });

  it("drops other instances' copies after a load writes a new value", async () => {
    const {
      caches: [a, b],
    } = instances(2);
    await settle();
    await b?.set('k', 'old', { ttlMs: 10 });
    await vi.advanceTimersByTimeAsync(10);
    expect(await a?.getOrSet('k', () => 'new')).toBe('new');
    await settle();
    expect(await b?.get('k')).toBe('new');
  });

  it('serves L1 entries for at most busDownTtlMs while the bus is down, then reads L2', async () => {
    const {
      caches: [a, b],
      bus,
      l2,
    } = instances(2, { busDownTtlMs: 1000 });
    await settle();
    await a?.set('k', 'v1');
    expect(await b?.get('k')).toBe('v1');
    const bSubscription = bus.subscriptions[1];
    bSubscription?.cut();
    expect(b?.stats().bus.state).toBe('disconnected');

    await vi.advanceTimersByTimeAsync(400);
    await a?.set('k', 'v2'); // b misses this message
    await settle();
    const callsBefore = l2.calls.length;
    expect(await b?.get('k')).toBe('v1'); // stored 400 ms ago: still within the bound
    expect(l2.calls.length).toBe(callsBefore);
    await vi.advanceTimersByTimeAsync(599);
    expect(await b?.get('k')).toBe('v1');
    await vi.advanceTimersByTimeAsync(1);
    // Stored 1000 ms ago: no longer served from L1; L2 has the new value.
    expect(await b?.get('k')).toBe('v2');
  });

  it('flushes L1 when the bus reconnects, and publishes the bus state', async () => {
    const events: CacheBusEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as CacheBusEvent);
    };
    subscribe(cacheChannels.bus, listener);
    try {
      const bus = memoryBus();
      const cache = createCache({ ttlMs: 60_000, bus, name: 'flushed' });
      await settle();
      await cache.set('a', 1);
      await cache.set('b', 2);
      bus.subscriptions[0]?.cut();
      await vi.advanceTimersByTimeAsync(250);
      expect(cache.stats().l1.entries).toBe(2);
      bus.subscriptions[0]?.restore();
      expect(cache.stats().l1.entries).toBe(0);
      expect(events.map((event) => event.state)).toEqual([
        'connected',
        'disconnected',
        'connected',
      ]);
      expect(events[2]).toMatchObject({ name: 'flushed', downForMs: 250 });
    } finally {
      unsubscribe(cacheChannels.bus, listener);
    }
  });

  it('serves L1 for at most busDownTtlMs before the bus first connects', async () => {
    const bus = memoryBus();
    const cache = createCache({ ttlMs: 60_000, busDownTtlMs: 100, bus });
    // Not connected yet: the entry is bounded like during an outage.
    await cache.set('k', 1);
    bus.subscriptions[0]?.cut();
    await vi.advanceTimersByTimeAsync(100);
    expect(await cache.get('k')).toBeUndefined();
  });

  it('keeps the core behaviour without a bus: L1 entries live until their TTL', async () => {
    const cache = createCache({ ttlMs: 60_000, busDownTtlMs: 100 });
    await cache.set('k', 1);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(await cache.get('k')).toBe(1);
    expect(cache.stats().bus).toEqual({
      state: 'absent',
      published: 0,
      received: 0,
      publishErrors: 0,
    });
  });

  it('retries a failed publish until it goes through, for at most busDownTtlMs', async () => {
    const {
      caches: [a, b],
      bus,
    } = instances(2, { l2CooldownMs: 100, busDownTtlMs: 1000 });
    await settle();
    await a?.set('k', 1);
    expect(await b?.get('k')).toBe(1);
    bus.failing = true;
    await a?.set('k', 2);
    await a?.delete('other');
    expect(a?.stats().bus.publishErrors).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(a?.stats().bus.publishErrors).toBe(3);
    bus.failing = false;
    await vi.advanceTimersByTimeAsync(100);
    await settle();
    // One merged retry carried both invalidations.
    expect(bus.published.at(-1)).toContain('"k":["k","other"]');
    expect(await b?.get('k')).toBe(2);
  });

  it('gives up retrying after busDownTtlMs', async () => {
    const {
      caches: [a],
      bus,
    } = instances(1, { l2CooldownMs: 100, busDownTtlMs: 300 });
    await settle();
    bus.failing = true;
    await a?.set('k', 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(a?.stats().bus.publishErrors).toBe(4);
  });

  it('stops the subscription on close', async () => {
    const bus = memoryBus();
    const cache = createCache({ ttlMs: 1000, bus });
    await settle();
    expect(bus.subscriptions[0]?.connected).toBe(true);
    await cache.close();
    expect(bus.subscriptions[0]?.connected).toBe(false);
  });

  it('rejects a bus that is not one', () => {
    // @ts-expect-error not a bus
    expect(() => createCache({ ttlMs: 1000, bus: {} })).toThrow(
      /`bus` must be a bus \(e.g. redisBus\(\)\) with subscribe and close/,
    );
    expect(() => createCache({ ttlMs: 1000, busDownTtlMs: 0 })).toThrow(
      /`busDownTtlMs` must be a positive integer/,
    );
  });
});
