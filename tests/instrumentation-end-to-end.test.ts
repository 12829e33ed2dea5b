/**
 * `instrument()` and `logEvents()` attached to real packages: a circuit breaker that opens
 * and closes, a retry policy that spends its budget, memory rate limiters (one of them on a
 * store that fails and recovers) and a two-tier cache whose L2 goes down and comes back.
 * The scrape and the log lines must show every phase.
 */
import { type Cache, createCache, type L2Store } from '@rampart/cache';
import { createCircuitBreaker } from '@rampart/circuit-breaker';
import { CircuitOpenError } from '@rampart/errors';
import { closeLogger, createLogger, logEvents } from '@rampart/logger';
import { createMetrics, instrument, instrumentMetricNames as names } from '@rampart/metrics';
import { createRateLimiter, memoryStore, type RateLimitStore } from '@rampart/rate-limiter';
import { backoff, createRetryBudget, createRetryPolicy } from '@rampart/retry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

/** A store that can be taken down, around the real memory store. */
function switchableStore(): RateLimitStore & { down: boolean } {
  const inner = memoryStore();
  const refuse = (): Promise<never> => Promise.reject(new Error('connect ECONNREFUSED'));
  const store: RateLimitStore & { down: boolean } = {
    down: false,
    timeSource: inner.timeSource,
    consume: (request) => (store.down ? refuse() : inner.consume(request)),
    peek: (request) => (store.down ? refuse() : inner.peek(request)),
    reward: (request) => (store.down ? refuse() : inner.reward(request)),
    reset: (request) => (store.down ? refuse() : inner.reset(request)),
    close: () => inner.close(),
  };
  return store;
}

/** A shared tier in a Map, that can be taken down. */
function switchableL2(): L2Store & { down: boolean } {
  const records = new Map<string, { data: string; expiresAt: number }>();
  const refuse = (): Promise<never> => Promise.reject(new Error('connect ECONNREFUSED'));
  const l2: L2Store & { down: boolean } = {
    down: false,
    async get(namespace: string, key: string) {
      if (l2.down) return refuse();
      const record = records.get(`${namespace}:${key}`);
      if (record === undefined || record.expiresAt <= Date.now()) return undefined;
      return { data: record.data, ttlMs: record.expiresAt - Date.now() };
    },
    async set(namespace: string, key: string, data: string, ttlMs: number) {
      if (l2.down) return refuse();
      records.set(`${namespace}:${key}`, { data, expiresAt: Date.now() + ttlMs });
    },
    async delete(namespace: string, keys: readonly string[]) {
      if (l2.down) return refuse();
      for (const key of keys) records.delete(`${namespace}:${key}`);
    },
    async clear(namespace: string) {
      if (l2.down) return refuse();
      for (const key of records.keys()) if (key.startsWith(`${namespace}:`)) records.delete(key);
    },
  };
  return l2;
}

/** Reads `name{labels} value` from a Prometheus scrape; 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const labelText = line.slice(name.length + 1, line.lastIndexOf('}'));
    const parts = labelText.split(',');
    if (parts.length === wanted.length && wanted.every((pair) => parts.includes(pair))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

describe('instrumented Rampart packages', () => {
  it('show a breaker opening and closing, a spent retry budget, rate limits, a store outage and an L2 outage', async () => {
    const metrics = createMetrics({ name: 'service' });
    const stopInstrumenting = instrument(metrics);
    const records: Record<string, unknown>[] = [];
    const logger = createLogger({
      name: 'service',
      destination: {
        stream: {
          write(line: string) {
            records.push(JSON.parse(line) as Record<string, unknown>);
          },
        },
      },
    });
    const stopLogging = logEvents(logger, { minIntervalMs: 10_000 });

    // A circuit breaker opens on failures, rejects, then closes after a successful trial.
    let inventoryUp = false;
    const breaker = createCircuitBreaker(
      async () => {
        if (!inventoryUp) throw new Error('inventory: 503 Service Unavailable');
        return 'in stock';
      },
      {
        name: 'inventory',
        volumeThreshold: 2,
        errorThresholdPercentage: 50,
        resetTimeoutMs: 1_000,
      },
    );
    await breaker.execute().catch(() => undefined);
    await breaker.execute().catch(() => undefined);
    await expect(breaker.execute()).rejects.toBeInstanceOf(CircuitOpenError);
    inventoryUp = true;
    await vi.advanceTimersByTimeAsync(1_000);
    await expect(breaker.execute()).resolves.toBe('in stock');

    // A retry policy spends its one-retry budget and gives up.
    const payments = createRetryPolicy({
      name: 'payments',
      retries: 3,
      backoff: backoff.constant({ delayMs: 10 }),
      budget: createRetryBudget({ capacity: 1, retryRatio: 0, minRetriesPerSecond: 0 }),
    });
    const charge = payments.execute(async () => {
      throw new Error('payments: connection reset');
    });
    charge.catch(() => undefined);
    await vi.advanceTimersByTimeAsync(10);
    await expect(charge).rejects.toThrow('payments: connection reset');

    // A memory rate limiter admits two calls a minute.
    const api = createRateLimiter({
      name: 'api',
      limits: [{ name: 'minute', limit: 2, windowMs: 60_000 }],
    });
    const decisions = [];
    for (let call = 0; call < 3; call += 1)
      decisions.push((await api.consume('203.0.113.9')).allowed);
    expect(decisions).toEqual([true, true, false]);

    // A limiter whose store fails falls back to memory, then returns to the store.
    const loginStore = switchableStore();
    const login = createRateLimiter({
      name: 'login',
      limits: [{ name: 'minute', limit: 5, windowMs: 60_000 }],
      store: loginStore,
      storeGuard: { failureThreshold: 2, coolDownMs: 1_000 },
    });
    loginStore.down = true;
    for (let call = 0; call < 3; call += 1) {
      expect((await login.consume('user-7')).source).toBe('fallback');
    }
    loginStore.down = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await login.consume('user-7')).source).toBe('store');

    // A two-tier cache: L2 goes down (calls skip it) and comes back.
    const l2 = switchableL2();
    const catalog: Cache = createCache({
      name: 'catalog',
      ttlMs: 60_000,
      l2,
      storeGuard: { failureThreshold: 1, coolDownMs: 1_000 },
    });
    const load = (key: string) => catalog.getOrSet(key, async () => ({ sku: key, price: 42 }));
    await load('sku-1'); // L1 and L2 miss, the factory runs
    await load('sku-1'); // L1 hit
    l2.down = true;
    await load('sku-2'); // L2 fails: cooling down
    l2.down = false;
    await vi.advanceTimersByTimeAsync(1_000);
    await load('sku-3'); // the probe: L2 answers (a miss)

    const scrape = await metrics.render();
    const breakerState = { name: 'inventory' };
    expect(sample(scrape, names.circuitBreakerState, breakerState)).toBe(0);
    for (const [from, to] of [
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ] as const) {
      expect(
        sample(scrape, names.circuitBreakerTransitions, { ...breakerState, from, to }),
        `${from} → ${to}`,
      ).toBe(1);
    }
    expect(
      sample(scrape, names.circuitBreakerRejections, { ...breakerState, reason: 'open' }),
    ).toBe(1);
    expect(
      sample(scrape, `${names.circuitBreakerCallDuration}_count`, {
        ...breakerState,
        outcome: 'failure',
      }),
    ).toBe(2);
    expect(sample(scrape, names.retryRetries, { name: 'payments', error_type: 'E_INTERNAL' })).toBe(
      1,
    );
    expect(sample(scrape, names.retryBudgetExhausted, { name: 'payments' })).toBe(1);
    expect(
      sample(scrape, names.retryGiveUps, { name: 'payments', reason: 'budget-exhausted' }),
    ).toBe(1);
    const apiDecision = { name: 'api', policy: 'minute', source: 'store' };
    expect(sample(scrape, names.rateLimiterDecisions, { ...apiDecision, outcome: 'allowed' })).toBe(
      2,
    );
    expect(sample(scrape, names.rateLimiterDecisions, { ...apiDecision, outcome: 'limited' })).toBe(
      1,
    );
    expect(
      sample(scrape, names.rateLimiterDecisions, {
        name: 'login',
        policy: 'minute',
        source: 'fallback',
        outcome: 'allowed',
      }),
    ).toBe(3);
    expect(
      sample(scrape, names.rateLimiterStoreErrors, {
        name: 'login',
        operation: 'consume',
        error_type: 'E_UNAVAILABLE',
      }),
    ).toBe(2);
    expect(sample(scrape, names.rateLimiterFallbackActive, { name: 'login' })).toBe(0);
    for (const transition of ['engaged', 'recovered']) {
      expect(
        sample(scrape, names.rateLimiterFallbackTransitions, { name: 'login', transition }),
      ).toBe(1);
    }
    expect(sample(scrape, names.cacheHits, { name: 'catalog', tier: 'l1' })).toBe(1);
    expect(sample(scrape, names.cacheMisses, { name: 'catalog', tier: 'l2' })).toBe(2);
    expect(
      sample(scrape, names.cacheL2Errors, {
        name: 'catalog',
        operation: 'get',
        error_type: 'E_UNAVAILABLE',
      }),
    ).toBe(1);
    expect(sample(scrape, names.cacheL2CoolingDown, { name: 'catalog' })).toBe(0);
    // The cache's L2 and the limiter's store are recorded alike: healthy again after one outage.
    for (const [state, transitions, name] of [
      [names.cacheL2State, names.cacheL2StateTransitions, 'catalog'],
      [names.rateLimiterStoreState, names.rateLimiterStoreStateTransitions, 'login'],
    ] as const) {
      expect(sample(scrape, state, { name, state: 'healthy' })).toBe(1);
      expect(sample(scrape, state, { name, state: 'cooling-down' })).toBe(0);
      expect(sample(scrape, transitions, { name, from: 'healthy', to: 'cooling-down' })).toBe(1);
      expect(sample(scrape, transitions, { name, from: 'probing', to: 'healthy' })).toBe(1);
    }
    expect(
      sample(scrape, `${names.cacheFactoryDuration}_count`, {
        name: 'catalog',
        outcome: 'success',
      }),
    ).toBe(3);
    // keys never become labels
    for (const key of ['203.0.113.9', 'user-7', 'sku-1']) expect(scrape).not.toContain(key);

    expect(records.map((record) => record.event)).toEqual([
      'circuit-breaker.opened',
      'circuit-breaker.half-open',
      'circuit-breaker.closed',
      'retry.budget-exhausted',
      'rate-limiter.store-error', // the first one; the second is counted for the summary
      'rate-limiter.fallback-engaged',
      'rate-limiter.fallback-recovered',
      'cache.l2-down',
      'cache.l2-error',
      'cache.l2-up',
    ]);
    const byEvent = new Map(records.map((record) => [record.event, record]));
    expect(byEvent.get('circuit-breaker.opened')).toMatchObject({
      level: 40,
      breaker: 'inventory',
    });
    expect(byEvent.get('circuit-breaker.closed')).toMatchObject({ level: 30, openForMs: 1_000 });
    expect(byEvent.get('retry.budget-exhausted')).toMatchObject({
      level: 40,
      retryPolicy: 'payments',
      err: { message: 'payments: connection reset' },
    });
    expect(byEvent.get('rate-limiter.fallback-engaged')).toMatchObject({
      level: 40,
      limiter: 'login',
    });
    expect(byEvent.get('rate-limiter.fallback-recovered')).toMatchObject({
      level: 30,
      fallbackForMs: 1_000,
    });
    expect(byEvent.get('cache.l2-down')).toMatchObject({ level: 40, cache: 'catalog' });
    expect(byEvent.get('cache.l2-up')).toMatchObject({ level: 30, downForMs: 1_000 });
    expect(JSON.stringify(records)).not.toContain('user-7');

    // Closing the logger writes the pending summary of store errors, and unsubscribes.
    await catalog.close();
    await api.close();
    await login.close();
    await breaker.dispose();
    stopInstrumenting();
    vi.useRealTimers();
    await closeLogger(logger, { timeoutMs: 1_000 });
    expect(records.at(-1)).toMatchObject({ event: 'rate-limiter.store-error', suppressed: 1 });
    expect(() => stopLogging()).not.toThrow();
    await metrics.close();
  });
});
