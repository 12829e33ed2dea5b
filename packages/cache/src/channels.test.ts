import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryL2 } from '../test-support/memory-l2.ts';
import { cacheChannels } from './channels.ts';
import { createCache } from './create-cache.ts';
import { memoryStore } from './memory-store.ts';

type Name = keyof typeof cacheChannels;
let seen: { channel: Name; event: Record<string, unknown> }[] = [];
const listeners = new Map<Name, (message: unknown) => void>();

beforeEach(() => {
  vi.useFakeTimers();
  seen = [];
  for (const channel of Object.keys(cacheChannels) as Name[]) {
    const listener = (message: unknown): void => {
      seen.push({ channel, event: message as Record<string, unknown> });
    };
    listeners.set(channel, listener);
    subscribe(cacheChannels[channel], listener);
  }
});
afterEach(() => {
  for (const [channel, listener] of listeners) unsubscribe(cacheChannels[channel], listener);
  vi.useRealTimers();
});

const names = (): string[] =>
  seen.map(({ channel, event }) => `${channel}:${String(event.tier ?? event.outcome ?? '')}`);

describe('cacheChannels', () => {
  it('names the channels rampart:cache:<event>', () => {
    expect(cacheChannels).toEqual({
      hit: 'rampart:cache:hit',
      miss: 'rampart:cache:miss',
      stale: 'rampart:cache:stale',
      factory: 'rampart:cache:factory',
      l2Error: 'rampart:cache:l2-error',
      eviction: 'rampart:cache:eviction',
      bus: 'rampart:cache:bus',
      lock: 'rampart:cache:lock',
      fenced: 'rampart:cache:fenced',
      storeState: 'rampart:cache:store-state',
      replay: 'rampart:cache:replay',
    });
  });

  it('publishes a miss per tier, the factory call, then a hit, with name, namespace and key', async () => {
    const cache = createCache({
      ttlMs: 1000,
      name: 'users-cache',
      namespace: 'users',
      l2: memoryL2(),
    });
    await cache.getOrSet('user:1', () => 'ada');
    await cache.getOrSet('user:1', () => 'ada');
    expect(names()).toEqual(['miss:l1', 'miss:l2', 'factory:success', 'hit:l1']);
    for (const { event } of seen) {
      expect(event).toMatchObject({ name: 'users-cache', namespace: 'users', key: 'user:1' });
    }
    expect(seen[2]?.event).toMatchObject({ background: false });
    expect(typeof seen[2]?.event.durationMs).toBe('number');
    expect(typeof seen[0]?.event.durationMs).toBe('number');
  });

  it('publishes an L2 hit when another process wrote the value', async () => {
    const l2 = memoryL2();
    await createCache({ ttlMs: 1000, l2 }).set('k', 1);
    seen = [];
    await createCache({ ttlMs: 1000, l2 }).get('k');
    expect(names()).toEqual(['miss:l1', 'hit:l2']);
  });

  it('publishes stale serving with its reason and the factory error with its code', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1500);
    seen = [];
    const error = new Error('down');
    await cache.getOrSet('k', () => Promise.reject(error));
    expect(names()).toEqual(['miss:l1', 'factory:error', 'stale:l1']);
    expect(seen[1]?.event).toMatchObject({ error });
    expect(seen[2]?.event).toMatchObject({ reason: 'factory-error', staleForMs: 500, error });
  });

  it('publishes a factory timeout with E_TIMEOUT, and a background factory after a soft timeout', async () => {
    const cache = createCache({
      ttlMs: 1000,
      graceMs: 5000,
      softTimeoutMs: 10,
      hardTimeoutMs: 100,
    });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1000);
    seen = [];
    const served = cache.getOrSet('k', () => new Promise(() => {}));
    await vi.advanceTimersByTimeAsync(100);
    expect(await served).toBe('old');
    expect(names()).toEqual(['miss:l1', 'stale:l1', 'factory:timeout']);
    expect(seen[1]?.event).toMatchObject({ reason: 'soft-timeout' });
    expect(seen[2]?.event).toMatchObject({ code: 'E_TIMEOUT', background: true });
  });

  it('publishes evictions from L1', async () => {
    const cache = createCache({ ttlMs: 1000, l1: memoryStore({ maxEntries: 2 }) });
    for (const key of ['a', 'b', 'c', 'd']) await cache.set(key, key);
    const evictions = seen.filter(({ channel }) => channel === 'eviction');
    expect(evictions.length).toBe(cache.stats().l1.evictions);
    expect(evictions.length).toBeGreaterThan(0);
    expect(evictions[0]?.event).toMatchObject({
      tier: 'l1',
      name: 'default',
      namespace: 'default',
    });
    expect(['capacity', 'rejected']).toContain(evictions[0]?.event.reason);
  });

  it('publishes aborted factories on close', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const pending = cache.getOrSet('k', () => new Promise(() => {})).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(0);
    await cache.close();
    await pending;
    expect(names()).toContain('factory:aborted');
  });
});
