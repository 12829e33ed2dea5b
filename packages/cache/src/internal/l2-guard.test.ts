import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryL2 } from '../../test-support/memory-l2.ts';
import { type CacheL2ErrorEvent, cacheChannels } from '../channels.ts';
import { createCache } from '../create-cache.ts';

let events: CacheL2ErrorEvent[] = [];
const collect = (message: unknown): void => {
  events.push(message as CacheL2ErrorEvent);
};

beforeEach(() => {
  vi.useFakeTimers();
  events = [];
  subscribe(cacheChannels.l2Error, collect);
});
afterEach(() => {
  unsubscribe(cacheChannels.l2Error, collect);
  vi.useRealTimers();
});

const settledWithin = async <T>(
  promise: Promise<T>,
  ms: number,
): Promise<{ settled: boolean; value?: T }> => {
  let state: { settled: boolean; value?: T } = { settled: false };
  void promise.then((value) => {
    state = { settled: true, value };
  });
  await vi.advanceTimersByTimeAsync(ms);
  return state;
};

describe('L2 deadline', () => {
  it('settles get within l2TimeoutMs when L2 hangs, serving the factory value', async () => {
    const l2 = memoryL2();
    l2.mode = 'hang';
    const cache = createCache({ ttlMs: 1000, l2, l2TimeoutMs: 100 });
    expect((await settledWithin(cache.get('k'), 99)).settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(
      await settledWithin(
        cache.getOrSet('k', () => 'from factory'),
        100,
      ),
    ).toEqual({
      settled: true,
      value: 'from factory',
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(l2.calls).toEqual(['get default:k', 'get default:k', 'set default:k']);
    expect(l2.signals.every((signal) => signal.aborted)).toBe(true);
    expect(cache.stats().l2).toMatchObject({ errors: 3, timeouts: 3 });
  });

  it('reports L2 failures as Rampart errors, never the raw client error', async () => {
    const l2 = memoryL2();
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 1000, l2, name: 'catalog', namespace: 'products' });
    await expect(cache.getOrSet('p1', () => 1)).resolves.toBe(1);
    await expect(cache.set('p2', 2)).resolves.toBeUndefined();
    await expect(cache.delete('p2')).resolves.toBeUndefined();
    await expect(cache.clear()).resolves.toBeUndefined();
    expect(events.map((event) => event.operation)).toEqual([
      'get',
      'set',
      'set',
      'delete',
      'clear',
    ]);
    const [first] = events;
    expect(first).toMatchObject({
      name: 'catalog',
      namespace: 'products',
      tier: 'l2',
      key: 'p1',
      code: 'E_UNAVAILABLE',
      timedOut: false,
    });
    expect(isRampartError(first?.error, 'E_UNAVAILABLE')).toBe(true);
    expect((first?.error.cause as Error | undefined)?.message).toMatch(/ECONNREFUSED/);
    expect(events[4]?.key).toBeUndefined();
  });

  it('reports a timeout as E_TIMEOUT with timedOut set', async () => {
    const l2 = memoryL2();
    l2.latencyMs = 500;
    const cache = createCache({ ttlMs: 1000, l2, l2TimeoutMs: 50 });
    const pending = cache.get('k');
    await vi.advanceTimersByTimeAsync(50);
    expect(await pending).toBeUndefined();
    expect(events[0]).toMatchObject({ code: 'E_TIMEOUT', timedOut: true, operation: 'get' });
    await vi.advanceTimersByTimeAsync(500);
    expect(events).toHaveLength(1);
  });

  it('stops waiting for L2 when the caller aborts', async () => {
    const l2 = memoryL2();
    l2.mode = 'hang';
    const cache = createCache({ ttlMs: 1000, l2, l2TimeoutMs: 10_000 });
    const controller = new AbortController();
    const pending = cache.get('k', { signal: controller.signal });
    controller.abort(new Error('bye'));
    await expect(pending).rejects.toThrow('bye');
    expect(cache.stats().l2.errors).toBe(0);
  });
});

describe('L2 cool-down', () => {
  it('skips L2 after l2FailureThreshold consecutive failures, for l2CooldownMs', async () => {
    const l2 = memoryL2();
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 1000, l2, l2FailureThreshold: 3, l2CooldownMs: 1000 });
    for (let index = 0; index < 3; index += 1) await cache.get(`k${index}`);
    expect(cache.stats().l2.state).toBe('cooling-down');
    expect(events.at(-1)?.coolingDown).toBe(true);
    expect(events.slice(0, 2).map((event) => event.coolingDown)).toEqual([false, false]);
    const callsBefore = l2.calls.length;
    for (let index = 0; index < 50; index += 1) await cache.getOrSet(`x${index}`, () => index);
    expect(l2.calls.length).toBe(callsBefore);
    expect(cache.stats().l2.skipped).toBe(100);
  });

  it('probes with one call after the cool-down; a call meanwhile waits for it and reaches L2', async () => {
    const l2 = memoryL2();
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 60_000, l2, l2FailureThreshold: 2, l2CooldownMs: 1000 });
    await cache.get('a');
    await cache.get('b');
    expect(cache.stats().l2.state).toBe('cooling-down');
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(1000);
    l2.latencyMs = 10;
    const probe = cache.get('c');
    expect(cache.stats().l2.state).toBe('probing');
    const waiting = cache.get('d');
    await vi.advanceTimersByTimeAsync(10);
    expect(cache.stats().l2.state).toBe('healthy');
    await vi.advanceTimersByTimeAsync(10);
    await Promise.all([probe, waiting]);
    l2.latencyMs = 0;
    expect(l2.calls.filter((call) => call.startsWith('get'))).toEqual([
      'get default:a',
      'get default:b',
      'get default:c',
      'get default:d',
    ]);
    await cache.set('e', 1);
    expect(l2.records.has('default:e')).toBe(true);
  });

  it('cools down again when the probe fails', async () => {
    const l2 = memoryL2();
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 1000, l2, l2FailureThreshold: 1, l2CooldownMs: 500 });
    await cache.get('a');
    await vi.advanceTimersByTimeAsync(500);
    await cache.get('b');
    expect(cache.stats().l2.state).toBe('cooling-down');
    await cache.get('c');
    expect(l2.calls).toEqual(['get default:a', 'get default:b']);
  });

  it('probes with the store ping on a timer when the store has one, with no call', async () => {
    const l2 = memoryL2({ withPing: true });
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 1000, l2, l2FailureThreshold: 1, l2CooldownMs: 500 });
    await cache.get('a');
    l2.mode = 'ok';
    await vi.advanceTimersByTimeAsync(499);
    expect(cache.stats().l2.state).toBe('cooling-down');
    await vi.advanceTimersByTimeAsync(1);
    expect(l2.calls).toEqual(['get default:a', 'ping']);
    expect(cache.stats().l2.state).toBe('healthy');
    expect(await cache.get('b')).toBeUndefined();
    expect(l2.calls.at(-1)).toBe('get default:b');
  });

  it('lets the next call probe when the probing caller aborts', async () => {
    const l2 = memoryL2();
    l2.mode = 'fail';
    const cache = createCache({ ttlMs: 1000, l2, l2FailureThreshold: 1, l2CooldownMs: 500 });
    await cache.get('a');
    await vi.advanceTimersByTimeAsync(500);
    l2.mode = 'hang';
    const controller = new AbortController();
    const probe = cache.get('b', { signal: controller.signal });
    controller.abort();
    await expect(probe).rejects.toThrow();
    l2.mode = 'ok';
    await cache.get('c');
    expect(cache.stats().l2.state).toBe('healthy');
  });
});
