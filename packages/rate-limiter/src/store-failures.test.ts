import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isRampartError, TimeoutError, UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type RateLimiterFallbackEvent,
  type RateLimiterStoreErrorEvent,
  rateLimiterChannels,
} from './channels.ts';
import { createRateLimiter, type RateLimiterOptions } from './index.ts';
import { memoryStore } from './memory-store.ts';
import type { RateLimitStore, StoreOutcome, StoreRequest } from './store.ts';

type Behaviour = 'answer' | 'fail' | 'hang' | 'throw' | 'garble';

/**
 * A store with its own clock (like Redis) whose answers come from a memory store, and whose
 * failures the test controls. Not a Redis stand-in: the Redis suites run a real redis-server.
 */
function controllableStore() {
  const inner = memoryStore();
  const hung: { reject(error: unknown): void }[] = [];
  const state = { behaviour: 'answer' as Behaviour, calls: 0 };
  const run = (operation: (request: StoreRequest) => Promise<StoreOutcome>) => {
    return (request: StoreRequest): Promise<StoreOutcome> => {
      state.calls += 1;
      switch (state.behaviour) {
        case 'fail':
          return Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6390'));
        case 'throw':
          throw new TypeError('store bug');
        case 'garble':
          return Promise.resolve({ allowed: true, limits: [] });
        case 'hang':
          return new Promise((_, reject) => hung.push({ reject }));
        default:
          return operation(request);
      }
    };
  };
  const store: RateLimitStore = {
    timeSource: 'store',
    consume: run((request) => inner.consume(request)),
    peek: run((request) => inner.peek(request)),
    reward: run((request) => inner.reward(request)),
    reset: async (request) => {
      state.calls += 1;
      if (state.behaviour !== 'answer') throw new Error('ECONNRESET');
      await inner.reset(request);
    },
    close: () => inner.close(),
  };
  /** Rejects every hung call, as a client does long after the deadline. */
  const rejectHung = (): void => {
    for (const call of hung.splice(0)) call.reject(new Error('Connection is closed.'));
  };
  return { store, state, rejectHung };
}

const limits = [{ name: 'm', limit: 2, windowMs: 60_000, algorithm: 'fixed-window' as const }];

function limiterWith(store: RateLimitStore, options: Partial<RateLimiterOptions> = {}) {
  return createRateLimiter({ limits, store, storeTimeoutMs: 50, blockCache: false, ...options });
}

const subscriptions: [string, (message: unknown) => void][] = [];
function listen<T>(name: string): T[] {
  const seen: T[] = [];
  const listener = (message: unknown): void => {
    seen.push(message as T);
  };
  subscribe(name, listener);
  subscriptions.push([name, listener]);
  return seen;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_020_000 });
  unhandled.length = 0;
  process.on('unhandledRejection', onUnhandled);
});
afterEach(() => {
  vi.useRealTimers();
  process.off('unhandledRejection', onUnhandled);
  for (const [name, listener] of subscriptions.splice(0)) unsubscribe(name, listener);
});

/** Settles `promise` while advancing fake time in 1 ms steps; returns the value and the time taken. */
async function settle<T>(promise: Promise<T>, limitMs = 1_000): Promise<{ value: T; ms: number }> {
  let done = false;
  let value: T | undefined;
  promise.then((result) => {
    done = true;
    value = result;
  });
  let ms = 0;
  await vi.advanceTimersByTimeAsync(0);
  while (!done && ms < limitMs) {
    await vi.advanceTimersByTimeAsync(1);
    ms += 1;
  }
  if (!done) throw new Error(`still pending after ${limitMs} ms`);
  return { value: value as T, ms };
}

describe('when the store fails', () => {
  it('answers from the fallback at the deadline when the store hangs', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'hang';
    const limiter = limiterWith(store);
    const { value, ms } = await settle(limiter.consume('a'));
    expect(value).toMatchObject({ allowed: true, source: 'fallback' });
    expect(ms).toBe(50);
    state.behaviour = 'answer';
    expect((await limiter.consume('a')).source).toBe('store');
  });

  it('gives every call its own deadline, counted from when it started', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'hang';
    const limiter = limiterWith(store, { recovery: { failureThreshold: 100 } });
    const ended: string[] = [];
    const track = (label: string) =>
      limiter.consume(label).then(() => {
        ended.push(label);
      });
    const first = track('first');
    await vi.advanceTimersByTimeAsync(20);
    const second = track('second');
    await vi.advanceTimersByTimeAsync(29);
    expect(ended).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(19);
    expect(ended).toEqual(['first']);
    await vi.advanceTimersByTimeAsync(1);
    expect(ended).toEqual(['first', 'second']);
    await Promise.all([first, second]);
  });

  it('answers at once from the fallback when the store rejects, with no raw client error', async () => {
    const errors = listen<RateLimiterStoreErrorEvent>(rateLimiterChannels.storeError);
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const limiter = limiterWith(store, { name: 'api' });
    const { value, ms } = await settle(limiter.consume('user-1'));
    expect(ms).toBe(0);
    expect(value.source).toBe('fallback');
    expect(errors).toHaveLength(1);
    const [event] = errors;
    expect(event).toMatchObject({
      name: 'api',
      operation: 'consume',
      code: 'E_UNAVAILABLE',
      consecutiveFailures: 1,
      key: 'user-1',
    });
    expect(event?.error).toBeInstanceOf(UnavailableError);
    expect(event?.error.cause).toEqual(new Error('ECONNREFUSED 127.0.0.1:6390'));
  });

  it('reports a missed deadline as a TimeoutError', async () => {
    const errors = listen<RateLimiterStoreErrorEvent>(rateLimiterChannels.storeError);
    const { store, state } = controllableStore();
    state.behaviour = 'hang';
    await settle(limiterWith(store).consume('a'));
    expect(errors[0]?.error).toBeInstanceOf(TimeoutError);
    expect(errors[0]?.code).toBe('E_TIMEOUT');
  });

  it('treats a throwing or garbled store as failed', async () => {
    for (const behaviour of ['throw', 'garble'] as const) {
      const { store, state } = controllableStore();
      state.behaviour = behaviour;
      const { value } = await settle(limiterWith(store).consume('a'));
      expect(value.source).toBe('fallback');
    }
  });

  it('limits with the same limits in the fallback', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const limiter = limiterWith(store);
    const decisions = [];
    for (let call = 0; call < 3; call++) decisions.push((await settle(limiter.consume('a'))).value);
    expect(decisions.map((decision) => [decision.allowed, decision.source])).toEqual([
      [true, 'fallback'],
      [true, 'fallback'],
      [false, 'fallback'],
    ]);
  });

  it('fails open or closed as onStoreError says', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const open = limiterWith(store, { onStoreError: 'allow' });
    for (let call = 0; call < 5; call++) {
      expect((await settle(open.consume('a'))).value).toMatchObject({
        allowed: true,
        source: 'fallback',
      });
    }
    const closed = limiterWith(store, { onStoreError: 'deny', recovery: { coolDownMs: 2_000 } });
    const denied = (await settle(closed.consume('a'))).value;
    expect(denied).toMatchObject({ allowed: false, source: 'fallback', remaining: 0 });
    expect(denied.retryAfterMs).toBe(2_000);
  });

  it('stops calling the store after repeated failures, probes once after the cool-down, and recovers', async () => {
    const switches = listen<RateLimiterFallbackEvent>(rateLimiterChannels.fallback);
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const limiter = limiterWith(store, { recovery: { failureThreshold: 3, coolDownMs: 1_000 } });
    for (let call = 0; call < 10; call++) await settle(limiter.consume(`k${call}`));
    expect(state.calls).toBe(3); // the threshold; then the store is skipped
    expect(switches).toHaveLength(1);
    expect(switches[0]).toMatchObject({
      active: true,
      policy: 'fallback',
      consecutiveFailures: 3,
      coolDownMs: 1_000,
      code: 'E_UNAVAILABLE',
    });

    await vi.advanceTimersByTimeAsync(1_000);
    await Promise.all([limiter.consume('x'), limiter.consume('y'), limiter.consume('z')]);
    expect(state.calls).toBe(4); // one probe, still failing
    await vi.advanceTimersByTimeAsync(999);
    await settle(limiter.consume('x'));
    expect(state.calls).toBe(4); // cooling down again

    state.behaviour = 'answer';
    await vi.advanceTimersByTimeAsync(1);
    const probe = await limiter.consume('x');
    expect(probe.source).toBe('store');
    expect((await limiter.consume('y')).source).toBe('store');
    expect(state.calls).toBe(6);
    expect(switches[1]).toEqual({
      name: 'rate-limiter',
      active: false,
      policy: 'fallback',
      consecutiveFailures: 0,
      coolDownMs: 1_000,
    });
  });

  it('lets no late rejection of a hung store call go unhandled', async () => {
    const { store, state, rejectHung } = controllableStore();
    state.behaviour = 'hang';
    const limiter = limiterWith(store, { recovery: { failureThreshold: 100 } });
    await Promise.all(
      Array.from({ length: 20 }, (_, index) => settle(limiter.consume(`k${index}`))),
    );
    rejectHung();
    await vi.advanceTimersByTimeAsync(10);
    await new Promise((resolve) => process.nextTick(resolve));
    await vi.advanceTimersByTimeAsync(10);
    expect(unhandled).toEqual([]);
  });

  it('answers peek and reward from the fallback too', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const limiter = limiterWith(store);
    expect((await settle(limiter.peek('a'))).value.source).toBe('fallback');
    expect((await settle(limiter.reward('a', 1))).value.source).toBe('fallback');
  });

  it('rejects a failed reset with a Rampart error, after resetting what is local', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'fail';
    const limiter = limiterWith(store);
    await settle(limiter.consume('a', { cost: 2 }));
    const rejected = limiter.reset('a').catch((error: unknown) => error);
    const error = (await settle(rejected)).value;
    expect(isRampartError(error, 'E_UNAVAILABLE')).toBe(true);
    expect((await settle(limiter.peek('a'))).value.remaining).toBe(2);
  });

  it('stops waiting when the signal aborts, and lets a later call probe', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'hang';
    const limiter = limiterWith(store, {
      storeTimeoutMs: 500,
      recovery: { failureThreshold: 1, coolDownMs: 100 },
    });
    await settle(limiter.consume('a'));
    await vi.advanceTimersByTimeAsync(100);
    const controller = new AbortController();
    const aborted = limiter.consume('a', { signal: controller.signal }).catch((error) => error);
    controller.abort(new Error('gone'));
    expect(((await aborted) as Error).message).toBe('gone');
    state.behaviour = 'answer';
    expect((await limiter.consume('a')).source).toBe('store');
  });

  it('closes after the calls in flight end, each within the deadline', async () => {
    const { store, state } = controllableStore();
    state.behaviour = 'hang';
    const limiter = limiterWith(store);
    const pending = limiter.consume('a');
    const { ms } = await settle(limiter.close());
    expect(ms).toBe(50);
    expect((await pending).source).toBe('fallback');
  });
});

describe('the block cache', () => {
  function blocking(options: Partial<RateLimiterOptions> = {}) {
    const controls = controllableStore();
    const limiter = createRateLimiter({
      limits: [{ name: 'm', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' }],
      store: controls.store,
      ...options,
    });
    return { ...controls, limiter };
  }

  it('answers a flooding key locally until its retry time', async () => {
    const { limiter, state } = blocking();
    for (let call = 0; call < 4; call++) await limiter.consume('flood');
    expect(state.calls).toBe(4);
    for (let call = 0; call < 1_000; call++) {
      const decision = await limiter.consume('flood');
      expect(decision).toMatchObject({ allowed: false, source: 'block-cache' });
    }
    expect(state.calls).toBe(4);
    const cached = await limiter.consume('flood');
    expect(cached.retryAfterMs).toBe(60_000);
    await vi.advanceTimersByTimeAsync(59_999);
    expect((await limiter.consume('flood')).retryAfterMs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(await limiter.consume('flood')).toMatchObject({ allowed: true, source: 'store' });
  });

  it('asks the store for a cheaper call, which may fit', async () => {
    const { limiter, state } = blocking();
    await limiter.consume('a', { cost: 2 });
    expect((await limiter.consume('a', { cost: 2 })).allowed).toBe(false);
    const cheaper = await limiter.consume('a');
    expect(cheaper).toMatchObject({ allowed: true, source: 'store' });
    expect(state.calls).toBe(3);
  });

  it('stays within maxKeys', async () => {
    const { limiter, state } = blocking({ blockCache: { maxKeys: 2 } });
    for (const key of ['a', 'b', 'c']) await limiter.consume(key, { cost: 3 });
    for (const key of ['a', 'b', 'c']) await limiter.consume(key);
    expect(state.calls).toBe(6);
    await limiter.consume('b');
    await limiter.consume('c');
    expect(state.calls).toBe(6); // b and c are cached
    await limiter.consume('a');
    expect(state.calls).toBe(7); // a was evicted
  });

  it('is cleared for a key by reset and reward', async () => {
    const { limiter } = blocking();
    await limiter.consume('a', { cost: 3 });
    await limiter.consume('a');
    await limiter.reset('a');
    expect(await limiter.consume('a')).toMatchObject({ allowed: true, source: 'store' });
    await limiter.consume('a', { cost: 2 });
    await limiter.consume('a');
    await limiter.reward('a', 1);
    expect(await limiter.consume('a')).toMatchObject({ allowed: true, source: 'store' });
  });

  it('reports cached rejections as shadow decisions in shadow mode', async () => {
    const { limiter } = blocking({ shadow: true });
    await limiter.consume('a', { cost: 3 });
    expect(await limiter.consume('a')).toMatchObject({ allowed: true, source: 'shadow' });
    expect(await limiter.consume('a')).toMatchObject({ allowed: true, source: 'shadow' });
  });

  it('can be turned off', async () => {
    const { limiter, state } = blocking({ blockCache: false });
    for (let call = 0; call < 10; call++) await limiter.consume('a');
    expect(state.calls).toBe(10);
  });
});
