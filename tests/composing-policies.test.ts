/**
 * The composition of docs/composing-policies.md: a cache in front of a retry policy around a
 * circuit breaker. Checks what the guide claims about the order of timeouts, grace during an
 * open circuit, and how `retryAfterMs` reaches the client.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createCache } from '@rampart/cache';
import { type CircuitBreaker, createCircuitBreaker } from '@rampart/circuit-breaker';
import { CircuitOpenError, isRampartError, TimeoutError, toProblemResponse } from '@rampart/errors';
import { backoff, createRetryPolicy, type RetryGiveUpEvent, retryChannels } from '@rampart/retry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A dependency that never answers, but stops when its signal aborts. */
const hanging = (_key: string, signal: AbortSignal): Promise<string> =>
  new Promise((_resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });

interface Layers {
  readonly breaker: CircuitBreaker<[string], string>;
  load(key: string): Promise<string>;
  close(): Promise<void>;
}

function compose(options: {
  dependency: (key: string, signal: AbortSignal) => Promise<string>;
  breakerTimeoutMs: number;
  retryDeadlineMs: number;
  cacheHardTimeoutMs: number;
  graceMs?: number;
}): Layers {
  const breaker = createCircuitBreaker(options.dependency, {
    name: 'pricing',
    timeoutMs: options.breakerTimeoutMs,
    volumeThreshold: 3,
    errorThresholdPercentage: 50,
    resetTimeoutMs: 10_000,
  });
  const retry = createRetryPolicy({
    name: 'pricing',
    retries: 2,
    backoff: backoff.constant({ delayMs: 10 }),
    maxElapsedMs: options.retryDeadlineMs,
    budget: false,
  });
  const cache = createCache({
    name: 'prices',
    ttlMs: 1_000,
    graceMs: options.graceMs ?? 0,
    graceBackoffMs: 0,
    hardTimeoutMs: options.cacheHardTimeoutMs,
  });
  return {
    breaker,
    load: (key) =>
      cache.getOrSet(key, ({ signal }) =>
        retry.execute(({ signal }) => breaker.executeWith({ signal }, key), { signal }),
      ),
    async close() {
      await cache.close();
      await breaker.dispose();
    },
  };
}

/** Settles `promise` after advancing fake time by `ms`; resolves to its value or error. */
async function settle<T>(promise: Promise<T>, ms: number): Promise<T | unknown> {
  const outcome = promise.then(
    (value) => value,
    (error: unknown) => error,
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}

describe('timeouts shrink inwards', () => {
  it('opens the circuit on a hanging dependency when the breaker timeout is the shortest bound', async () => {
    const layers = compose({
      dependency: hanging,
      breakerTimeoutMs: 100,
      retryDeadlineMs: 1_000,
      cacheHardTimeoutMs: 2_000,
    });
    const error = await settle(layers.load('sku-1'), 1_000);
    // three attempts timed out in the breaker: counted as failures, the circuit opens
    expect(isRampartError(error, 'E_TIMEOUT')).toBe(true);
    expect(layers.breaker.state).toBe('open');
    await layers.close();
  });

  it('never opens it when the cache hard timeout fires before the breaker timeout', async () => {
    const layers = compose({
      dependency: hanging,
      breakerTimeoutMs: 5_000,
      retryDeadlineMs: 10_000,
      cacheHardTimeoutMs: 300,
    });
    for (const key of ['sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5']) {
      const error = await settle(layers.load(key), 300);
      expect(error).toBeInstanceOf(TimeoutError);
    }
    // every attempt was abandoned from outside: a caller abort, never a failure
    expect(layers.breaker.state).toBe('closed');
    expect(layers.breaker.stats().failures).toBe(0);
    await layers.close();
  });

  it("never opens it when the retry's deadline fires before the breaker timeout", async () => {
    const layers = compose({
      dependency: hanging,
      breakerTimeoutMs: 5_000,
      retryDeadlineMs: 300,
      cacheHardTimeoutMs: 10_000,
    });
    for (const key of ['sku-1', 'sku-2', 'sku-3', 'sku-4', 'sku-5']) {
      const error = await settle(layers.load(key), 300);
      expect(isRampartError(error, 'E_TIMEOUT')).toBe(true);
    }
    expect(layers.breaker.state).toBe('closed');
    expect(layers.breaker.stats().failures).toBe(0);
    await layers.close();
  });
});

describe('an open circuit behind the cache', () => {
  it('serves cached keys stale, and fails the others fast with the next trial time as Retry-After', async () => {
    let down = false;
    const calls: string[] = [];
    const layers = compose({
      dependency: async (key) => {
        calls.push(key);
        if (down) throw new Error('read ECONNRESET');
        return `price of ${key}`;
      },
      breakerTimeoutMs: 100,
      retryDeadlineMs: 1_000,
      cacheHardTimeoutMs: 2_000,
      graceMs: 60_000,
    });
    const giveUps: RetryGiveUpEvent[] = [];
    const onGiveUp = (message: unknown): void => {
      giveUps.push(message as RetryGiveUpEvent);
    };
    subscribe(retryChannels.giveUp, onGiveUp);
    try {
      expect(await layers.load('warm')).toBe('price of warm');
      await vi.advanceTimersByTimeAsync(1_500); // 'warm' is now stale, within grace

      down = true;
      // the dependency fails: three attempts, the circuit opens, 'warm' is served stale
      expect(await settle(layers.load('warm'), 100)).toBe('price of warm');
      expect(layers.breaker.state).toBe('open');
      const before = calls.length;

      // an uncached key: rejected by the open circuit at once, not retried, not called
      const error = await settle(layers.load('cold'), 0);
      expect(error).toBeInstanceOf(CircuitOpenError);
      expect(calls.length).toBe(before);
      // the wait until the next trial call would end past the retry's deadline: no retry
      expect(giveUps.at(-1)).toMatchObject({ name: 'pricing', reason: 'deadline', attempt: 1 });

      const retryAfterMs = (error as CircuitOpenError).retryAfterMs ?? 0;
      expect(retryAfterMs).toBeGreaterThan(9_000);
      const problem = toProblemResponse(error);
      expect(problem.status).toBe(503);
      expect(problem.headers['retry-after']).toBe(String(Math.ceil(retryAfterMs / 1000)));
      expect(JSON.parse(problem.body)).toMatchObject({ code: 'E_CIRCUIT_OPEN', retryAfterMs });
      // the message of a 503 is not exposed to clients
      expect(JSON.parse(problem.body)).not.toHaveProperty('detail');

      // still served stale while open, without reaching the dependency
      expect(await settle(layers.load('warm'), 0)).toBe('price of warm');
      expect(calls.length).toBe(before);
    } finally {
      unsubscribe(retryChannels.giveUp, onGiveUp);
      await layers.close();
    }
  });
});
