import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ConfigurationError, UnavailableError } from '@rampart/errors';
import type { StoreStateEvent } from '@rampart/redis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { rateLimiterChannels } from './channels.ts';
import { createRateLimiter } from './index.ts';
import { memoryStore } from './memory-store.ts';
import type { RateLimitStore } from './store.ts';

/** A store answering from memory that the test can take down; `ping` answers alike. */
function switchableStore(withPing: boolean) {
  const inner = memoryStore();
  const state = { up: true, calls: 0, pings: 0 };
  const guarded =
    <A extends unknown[], R>(operation: (...args: A) => Promise<R>) =>
    (...args: A): Promise<R> => {
      state.calls += 1;
      return state.up ? operation(...args) : Promise.reject(new Error('ECONNREFUSED'));
    };
  const store: RateLimitStore = {
    timeSource: 'store',
    consume: guarded((request) => inner.consume(request)),
    peek: guarded((request) => inner.peek(request)),
    reward: guarded((request) => inner.reward(request)),
    reset: guarded((request) => inner.reset(request)),
    close: () => inner.close(),
    ...(withPing
      ? {
          ping: () => {
            state.pings += 1;
            return state.up ? Promise.resolve() : Promise.reject(new Error('ECONNREFUSED'));
          },
        }
      : {}),
  };
  return { store, state };
}

const limits = [{ name: 'm', limit: 5, windowMs: 60_000 }];
let events: StoreStateEvent[] = [];
const collect = (message: unknown): void => {
  events.push(message as StoreStateEvent);
};

beforeEach(() => {
  vi.useFakeTimers({ now: 1_750_000_000_000 });
  events = [];
  subscribe(rateLimiterChannels.storeState, collect);
});
afterEach(() => {
  unsubscribe(rateLimiterChannels.storeState, collect);
  vi.useRealTimers();
});

describe('limiter.state()', () => {
  it('is always healthy with the memory store', async () => {
    const limiter = createRateLimiter({ limits });
    for (let call = 0; call < 10; call++) await limiter.consume('a');
    expect(limiter.state()).toEqual({
      state: 'healthy',
      consecutiveFailures: 0,
      changedAt: 1_750_000_000_000,
      retryAfterMs: 0,
    });
  });

  it('reports the cool-down and returns to healthy on its own once ping answers', async () => {
    const { store, state } = switchableStore(true);
    const limiter = createRateLimiter({
      limits,
      store,
      storeGuard: { timeoutMs: 20, failureThreshold: 2, coolDownMs: 500 },
    });
    await limiter.consume('a');
    await limiter.consume('a');
    expect(limiter.state()).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    state.up = false;
    expect((await limiter.consume('a')).source).toBe('fallback');
    expect((await limiter.consume('a')).source).toBe('fallback');
    expect(limiter.state()).toEqual({
      state: 'cooling-down',
      consecutiveFailures: 2,
      changedAt: Date.now(),
      retryAfterMs: 500,
    });
    state.up = true;
    await vi.advanceTimersByTimeAsync(500);
    expect(state.pings).toBe(1);
    expect(limiter.state()).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect(events.map((event) => [event.component, event.name, event.from, event.to])).toEqual([
      ['rate-limiter', 'rate-limiter', 'healthy', 'cooling-down'],
      ['rate-limiter', 'rate-limiter', 'cooling-down', 'probing'],
      ['rate-limiter', 'rate-limiter', 'probing', 'healthy'],
    ]);
    expect(events[0]?.code).toBe('E_UNAVAILABLE');
    expect((await limiter.consume('a')).source).toBe('store');
    await limiter.close();
  });

  it('rejects a reset while the store cools down, without calling it', async () => {
    const { store, state } = switchableStore(false);
    const limiter = createRateLimiter({ limits, store, storeGuard: { failureThreshold: 1 } });
    state.up = false;
    await limiter.consume('a');
    const calls = state.calls;
    await expect(limiter.reset('a')).rejects.toBeInstanceOf(UnavailableError);
    expect(state.calls).toBe(calls);
    await limiter.close();
  });
});

describe('storeGuard options', () => {
  it('keeps the deprecated storeTimeoutMs and recovery working', async () => {
    const { store, state } = switchableStore(false);
    const limiter = createRateLimiter({
      limits,
      store,
      storeTimeoutMs: 30,
      recovery: { failureThreshold: 1, coolDownMs: 250 },
    });
    state.up = false;
    await limiter.consume('a');
    expect(limiter.state()).toMatchObject({ state: 'cooling-down', retryAfterMs: 250 });
    await limiter.close();
  });

  it.each([
    [{ storeTimeoutMs: 10, storeGuard: { timeoutMs: 10 } }, 'storeTimeoutMs'],
    [{ recovery: { coolDownMs: 10 }, storeGuard: { coolDownMs: 10 } }, 'recovery.coolDownMs'],
    [
      { recovery: { failureThreshold: 2 }, storeGuard: { failureThreshold: 2 } },
      'recovery.failureThreshold',
    ],
  ])('rejects a setting given under both names (%o)', (options, field) => {
    expect(() => createRateLimiter({ limits, ...options })).toThrow(ConfigurationError);
    expect(() => createRateLimiter({ limits, ...options })).toThrow(`\`${field}\``);
  });

  it.each([
    [{ storeGuard: { timeoutMs: 2 ** 31 } }, 'storeGuard.timeoutMs'],
    [{ storeGuard: { coolDownMs: 2 ** 31 } }, 'storeGuard.coolDownMs'],
    [{ storeTimeoutMs: 2 ** 31 }, 'storeTimeoutMs'],
    [{ recovery: { coolDownMs: 2 ** 40 } }, 'recovery.coolDownMs'],
  ])('rejects a duration of 2^31 ms or more (%o)', (options, field) => {
    expect(() => createRateLimiter({ limits, ...options })).toThrow(ConfigurationError);
    expect(() => createRateLimiter({ limits, ...options })).toThrow(`\`${field}\``);
  });
});
