/**
 * What `instrument()` records from each package: realistic payloads, typed with the
 * packages' own event types, published on the real channels.
 */
import { channel } from 'node:diagnostics_channel';
import type {
  CacheBusEvent,
  CacheEvictionEvent,
  CacheFactoryEvent,
  CacheFencedEvent,
  CacheHitEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheMissEvent,
  CacheReplayEvent,
  CacheStaleEvent,
  StoreState,
  StoreStateEvent,
} from '@rampart/cache';
import { cacheChannels } from '@rampart/cache';
import type {
  CircuitBreakerCallEvent,
  CircuitBreakerRejectedEvent,
  CircuitBreakerStateEvent,
  CircuitState,
} from '@rampart/circuit-breaker';
import { circuitBreakerChannels } from '@rampart/circuit-breaker';
import { CircuitOpenError, TimeoutError, UnavailableError } from '@rampart/errors';
import type {
  LoggerCloseEvent,
  LoggerDestinationErrorEvent,
  LoggerRotateEvent,
  LoggerSlowOperationEvent,
} from '@rampart/logger';
import { loggerChannels } from '@rampart/logger';
import type {
  RateLimiterDecisionEvent,
  RateLimiterFallbackEvent,
  RateLimiterStoreErrorEvent,
} from '@rampart/rate-limiter';
import { rateLimiterChannels } from '@rampart/rate-limiter';
import type {
  RetryAttemptEvent,
  RetryBudgetExhaustedEvent,
  RetryGiveUpEvent,
} from '@rampart/retry';
import { retryChannels } from '@rampart/retry';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  instrument,
  type Metrics,
  instrumentMetricNames as names,
} from './index.ts';
import type { ParsedFamily } from './test-support/exposition-parser.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

/** A store guard's change of state, as the cache and the rate limiter publish it. */
function stateChange(
  name: string,
  component: string,
  from: StoreState,
  to: StoreState,
): StoreStateEvent {
  return {
    name,
    component,
    from,
    to,
    health: {
      state: to,
      consecutiveFailures: to === 'healthy' ? 0 : 3,
      changedAt: 1_000,
      retryAfterMs: to === 'cooling-down' ? 1_000 : 0,
    },
  };
}

function publish(name: string, payload: object): void {
  channel(name).publish(payload);
}

let metrics: Metrics;
let stop: () => void;

beforeEach(() => {
  metrics = createMetrics();
  stop = instrument(metrics);
});

afterEach(() => {
  stop();
});

function value(
  families: Map<string, ParsedFamily>,
  family: string,
  labels: Record<string, string>,
  sample: string = family,
): number {
  return sampleValue(families, family, sample, labels);
}

describe('instrument: rate limiter', () => {
  const decision = (overrides: Partial<RateLimiterDecisionEvent>): RateLimiterDecisionEvent => ({
    name: 'api',
    allowed: true,
    source: 'store',
    policy: 'minute',
    violatedPolicies: [],
    cost: 1,
    remaining: 59,
    retryAfterMs: 0,
    key: 'user-42@example.com',
    ...overrides,
  });

  it('counts decisions by limiter, deciding policy, outcome and source, never by key', async () => {
    publish(rateLimiterChannels.decision, decision({}));
    publish(rateLimiterChannels.decision, decision({}));
    publish(
      rateLimiterChannels.decision,
      decision({ allowed: false, policy: 'hour', violatedPolicies: ['hour'], retryAfterMs: 900 }),
    );
    publish(
      rateLimiterChannels.decision,
      decision({ source: 'shadow', violatedPolicies: ['minute'], retryAfterMs: 10 }),
    );
    publish(rateLimiterChannels.decision, decision({ source: 'fallback' }));
    const families = await scrape(metrics);
    const name = names.rateLimiterDecisions;
    const labels = (policy: string, outcome: string, source: string) => ({
      name: 'api',
      policy,
      outcome,
      source,
    });
    expect(value(families, name, labels('minute', 'allowed', 'store'))).toBe(2);
    expect(value(families, name, labels('hour', 'limited', 'store'))).toBe(1);
    expect(value(families, name, labels('minute', 'shadow', 'shadow'))).toBe(1);
    expect(value(families, name, labels('minute', 'allowed', 'fallback'))).toBe(1);
    expect(await metrics.render()).not.toContain('user-42');
  });

  it('counts store errors by operation and code, and tracks the fallback as a gauge and transitions', async () => {
    const timeout = new TimeoutError('store call took longer than 50 ms');
    const storeError: RateLimiterStoreErrorEvent = {
      name: 'api',
      operation: 'consume',
      error: timeout,
      code: timeout.code,
      consecutiveFailures: 3,
      key: 'user-42',
    };
    publish(rateLimiterChannels.storeError, storeError);
    const engaged: RateLimiterFallbackEvent = {
      name: 'api',
      active: true,
      policy: 'fallback',
      consecutiveFailures: 3,
      coolDownMs: 1000,
      error: timeout,
      code: timeout.code,
    };
    publish(rateLimiterChannels.fallback, engaged);
    let families = await scrape(metrics);
    expect(
      value(families, names.rateLimiterStoreErrors, {
        name: 'api',
        operation: 'consume',
        error_type: 'E_TIMEOUT',
      }),
    ).toBe(1);
    expect(value(families, names.rateLimiterFallbackActive, { name: 'api' })).toBe(1);

    const recovered: RateLimiterFallbackEvent = {
      name: 'api',
      active: false,
      policy: 'fallback',
      consecutiveFailures: 0,
      coolDownMs: 1000,
    };
    publish(rateLimiterChannels.fallback, recovered);
    families = await scrape(metrics);
    expect(value(families, names.rateLimiterFallbackActive, { name: 'api' })).toBe(0);
    const transitions = names.rateLimiterFallbackTransitions;
    expect(value(families, transitions, { name: 'api', transition: 'engaged' })).toBe(1);
    expect(value(families, transitions, { name: 'api', transition: 'recovered' })).toBe(1);
  });
});

describe('instrument: cache', () => {
  const base = { name: 'users', namespace: 'users', key: 'user:42' } as const;

  it('counts hits and misses by tier, stale values by reason and evictions', async () => {
    const hit: CacheHitEvent = { ...base, tier: 'l1', durationMs: 0.01 };
    publish(cacheChannels.hit, hit);
    publish(cacheChannels.hit, { ...hit, tier: 'l2', durationMs: 0.4 } satisfies CacheHitEvent);
    const miss: CacheMissEvent = { ...base, tier: 'l1', durationMs: 0.01 };
    publish(cacheChannels.miss, miss);
    const stale: CacheStaleEvent = {
      ...base,
      tier: 'l1',
      reason: 'factory-error',
      staleForMs: 1200,
      error: new Error('upstream down'),
    };
    publish(cacheChannels.stale, stale);
    const eviction: CacheEvictionEvent = { ...base, tier: 'l1', reason: 'capacity' };
    publish(cacheChannels.eviction, eviction);
    const families = await scrape(metrics);
    expect(value(families, names.cacheHits, { name: 'users', tier: 'l1' })).toBe(1);
    expect(value(families, names.cacheHits, { name: 'users', tier: 'l2' })).toBe(1);
    expect(value(families, names.cacheMisses, { name: 'users', tier: 'l1' })).toBe(1);
    expect(
      value(families, names.cacheStaleServed, { name: 'users', reason: 'factory-error' }),
    ).toBe(1);
    expect(value(families, names.cacheEvictions, { name: 'users', reason: 'capacity' })).toBe(1);
    expect(await metrics.render()).not.toContain('user:42');
  });

  it('observes factory durations in seconds by outcome', async () => {
    const factory: CacheFactoryEvent = {
      ...base,
      outcome: 'success',
      durationMs: 30,
      background: false,
    };
    publish(cacheChannels.factory, factory);
    const error = new TimeoutError('factory took longer than 500 ms');
    publish(cacheChannels.factory, {
      ...base,
      outcome: 'timeout',
      durationMs: 500,
      background: false,
      error,
      code: error.code,
    } satisfies CacheFactoryEvent);
    const families = await scrape(metrics);
    const histogram = names.cacheFactoryDuration;
    const success = { name: 'users', outcome: 'success' };
    expect(value(families, histogram, success, `${histogram}_count`)).toBe(1);
    expect(value(families, histogram, success, `${histogram}_sum`)).toBeCloseTo(0.03);
    expect(value(families, histogram, { ...success, le: '0.025' }, `${histogram}_bucket`)).toBe(0);
    expect(value(families, histogram, { ...success, le: '0.05' }, `${histogram}_bucket`)).toBe(1);
    expect(
      value(families, histogram, { name: 'users', outcome: 'timeout' }, `${histogram}_sum`),
    ).toBeCloseTo(0.5);
  });

  it('counts L2 errors by operation and code; the cool-down follows the store-state channel', async () => {
    const failure = new UnavailableError('L2 get failed: connect ECONNREFUSED');
    const l2Error = (coolingDown: boolean): CacheL2ErrorEvent => ({
      name: 'users',
      namespace: 'users',
      tier: 'l2',
      key: 'user:42',
      operation: 'get',
      durationMs: 2,
      error: failure,
      code: failure.code,
      timedOut: false,
      coolingDown,
    });
    publish(cacheChannels.l2Error, l2Error(false));
    publish(cacheChannels.l2Error, l2Error(true));
    let families = await scrape(metrics);
    expect(
      value(families, names.cacheL2Errors, {
        name: 'users',
        operation: 'get',
        error_type: 'E_UNAVAILABLE',
      }),
    ).toBe(2);
    expect(samplesOf(families, names.cacheL2CoolingDown)).toEqual([]);

    publish(cacheChannels.storeState, stateChange('users', 'cache', 'healthy', 'cooling-down'));
    families = await scrape(metrics);
    expect(value(families, names.cacheL2CoolingDown, { name: 'users' })).toBe(1);
    // an L2 answer of a call that started earlier proves nothing: only the guard decides
    publish(cacheChannels.miss, { ...base, tier: 'l2', durationMs: 1 } satisfies CacheMissEvent);
    families = await scrape(metrics);
    expect(value(families, names.cacheL2CoolingDown, { name: 'users' })).toBe(1);

    publish(cacheChannels.storeState, stateChange('users', 'cache', 'cooling-down', 'probing'));
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'probing', 'healthy'));
    families = await scrape(metrics);
    expect(value(families, names.cacheL2CoolingDown, { name: 'users' })).toBe(0);
  });

  it('records the cache L2 and the rate-limiter store states alike', async () => {
    const cases = [
      [cacheChannels.storeState, 'cache', names.cacheL2State, names.cacheL2StateTransitions],
      [
        rateLimiterChannels.storeState,
        'rate-limiter',
        names.rateLimiterStoreState,
        names.rateLimiterStoreStateTransitions,
      ],
    ] as const;
    for (const [channelName, component, stateName, transitionsName] of cases) {
      publish(channelName, stateChange('shared', component, 'healthy', 'cooling-down'));
      publish(channelName, stateChange('shared', component, 'cooling-down', 'probing'));
      const families = await scrape(metrics);
      const states = ['healthy', 'cooling-down', 'probing'].map((state) =>
        value(families, stateName, { name: 'shared', state }),
      );
      expect(states).toEqual([0, 0, 1]);
      expect(
        value(families, transitionsName, { name: 'shared', from: 'healthy', to: 'cooling-down' }),
      ).toBe(1);
    }
  });

  it('counts replays of missed L2 writes by outcome', async () => {
    const replay = (cleared: boolean): CacheReplayEvent => ({
      name: 'users',
      namespace: 'users',
      keys: cleared ? 0 : 3,
      tags: 0,
      overflowed: cleared,
      cleared,
    });
    publish(cacheChannels.replay, replay(false));
    publish(cacheChannels.replay, replay(true));
    publish(cacheChannels.replay, replay(true));
    const families = await scrape(metrics);
    expect(value(families, names.cacheL2Replays, { name: 'users', outcome: 'replayed' })).toBe(1);
    expect(value(families, names.cacheL2Replays, { name: 'users', outcome: 'cleared' })).toBe(2);
  });

  it('records the bus, the distributed lock and fenced writes', async () => {
    publish(cacheChannels.bus, {
      name: 'users',
      namespace: 'users',
      state: 'connected',
    } satisfies CacheBusEvent);
    publish(cacheChannels.bus, {
      name: 'users',
      namespace: 'users',
      state: 'disconnected',
    } satisfies CacheBusEvent);
    const failure = new UnavailableError('publish failed');
    publish(cacheChannels.bus, {
      name: 'users',
      namespace: 'users',
      state: 'publish-failed',
      error: failure,
      code: failure.code,
    } satisfies CacheBusEvent);
    publish(cacheChannels.lock, {
      ...base,
      outcome: 'acquired',
      waitedMs: 0,
    } satisfies CacheLockEvent);
    publish(cacheChannels.lock, {
      ...base,
      outcome: 'waited',
      waitedMs: 40,
    } satisfies CacheLockEvent);
    publish(cacheChannels.fenced, {
      ...base,
      tier: 'l2',
      reason: 'tag',
    } satisfies CacheFencedEvent);
    const families = await scrape(metrics);
    expect(value(families, names.cacheBusConnected, { name: 'users' })).toBe(0);
    for (const state of ['connected', 'disconnected', 'publish-failed']) {
      expect(value(families, names.cacheBusEvents, { name: 'users', state })).toBe(1);
    }
    expect(value(families, names.cacheLockOutcomes, { name: 'users', outcome: 'acquired' })).toBe(
      1,
    );
    expect(value(families, names.cacheLockOutcomes, { name: 'users', outcome: 'waited' })).toBe(1);
    expect(
      value(families, names.cacheLockWait, { name: 'users' }, `${names.cacheLockWait}_sum`),
    ).toBeCloseTo(0.04);
    expect(
      value(families, names.cacheFencedWrites, { name: 'users', tier: 'l2', reason: 'tag' }),
    ).toBe(1);
  });
});

describe('instrument: circuit breaker', () => {
  const change = (from: CircuitState, to: CircuitState): CircuitBreakerStateEvent => ({
    name: 'users',
    from,
    to,
    reason: to === 'open' ? 'failure-threshold' : to === 'half-open' ? 'reset-timeout' : 'reset',
    failureRate: 60,
    retryAfterMs: to === 'open' ? 30_000 : undefined,
  });

  it('shows the state as closed 0, open 1, half-open 2, isolated 3, and counts transitions', async () => {
    const expected: [CircuitState, CircuitState, number][] = [
      ['closed', 'open', 1],
      ['open', 'half-open', 2],
      ['half-open', 'closed', 0],
      ['closed', 'isolated', 3],
    ];
    for (const [from, to, gauge] of expected) {
      publish(circuitBreakerChannels.state, change(from, to));
      const families = await scrape(metrics);
      expect(value(families, names.circuitBreakerState, { name: 'users' })).toBe(gauge);
    }
    const families = await scrape(metrics);
    expect(
      value(families, names.circuitBreakerTransitions, {
        name: 'users',
        from: 'closed',
        to: 'open',
      }),
    ).toBe(1);
    expect(samplesOf(families, names.circuitBreakerTransitions)).toHaveLength(4);
  });

  it('counts rejections by reason and observes call durations by outcome', async () => {
    const error = new CircuitOpenError('circuit users is open', { retryAfterMs: 1000 });
    const rejected: CircuitBreakerRejectedEvent = {
      name: 'users',
      reason: 'open',
      state: 'open',
      retryAfterMs: 1000,
      error,
      code: error.code,
    };
    publish(circuitBreakerChannels.rejected, rejected);
    const call: CircuitBreakerCallEvent = {
      name: 'users',
      outcome: 'success',
      durationMs: 12,
      probe: false,
      error: undefined,
      code: undefined,
    };
    publish(circuitBreakerChannels.call, call);
    const families = await scrape(metrics);
    expect(value(families, names.circuitBreakerRejections, { name: 'users', reason: 'open' })).toBe(
      1,
    );
    // the rejection said the breaker is open: a call admitted before does not change that
    expect(value(families, names.circuitBreakerState, { name: 'users' })).toBe(1);
    const histogram = names.circuitBreakerCallDuration;
    expect(
      value(families, histogram, { name: 'users', outcome: 'success' }, `${histogram}_sum`),
    ).toBeCloseTo(0.012);
  });

  it('takes the state of a breaker it has not seen change from its first call', async () => {
    const call = (name: string, probe: boolean): CircuitBreakerCallEvent => ({
      name,
      outcome: 'failure',
      durationMs: 3,
      probe,
      error: new Error('boom'),
      code: undefined,
    });
    publish(circuitBreakerChannels.call, call('steady', false));
    publish(circuitBreakerChannels.call, call('probing', true));
    const families = await scrape(metrics);
    expect(value(families, names.circuitBreakerState, { name: 'steady' })).toBe(0);
    expect(value(families, names.circuitBreakerState, { name: 'probing' })).toBe(2);
  });
});

describe('instrument: retry', () => {
  it('counts retries by error type, give-ups by reason and exhausted budgets', async () => {
    const timeout = new TimeoutError('attempt took longer than 1000 ms');
    const attempt = (error: unknown, code: string | undefined): RetryAttemptEvent => ({
      name: 'payments',
      attempt: 1,
      retriesLeft: 2,
      delayMs: 100,
      elapsedMs: 1000,
      error,
      code,
    });
    publish(retryChannels.attempt, attempt(timeout, timeout.code));
    publish(retryChannels.attempt, attempt(new Error('socket hang up'), undefined));
    const giveUp: RetryGiveUpEvent = {
      name: 'payments',
      attempt: 3,
      reason: 'retries-exhausted',
      delayMs: 0,
      elapsedMs: 3400,
      error: timeout,
      code: timeout.code,
    };
    publish(retryChannels.giveUp, giveUp);
    const exhausted: RetryBudgetExhaustedEvent = {
      name: 'payments',
      attempt: 1,
      delayMs: 100,
      elapsedMs: 20,
      error: timeout,
      code: timeout.code,
    };
    publish(retryChannels.budgetExhausted, exhausted);
    publish(retryChannels.budgetExhausted, exhausted);
    const families = await scrape(metrics);
    const retries = names.retryRetries;
    expect(value(families, retries, { name: 'payments', error_type: 'E_TIMEOUT' })).toBe(1);
    expect(value(families, retries, { name: 'payments', error_type: 'E_INTERNAL' })).toBe(1);
    expect(
      value(families, names.retryGiveUps, { name: 'payments', reason: 'retries-exhausted' }),
    ).toBe(1);
    expect(value(families, names.retryBudgetExhausted, { name: 'payments' })).toBe(2);
  });
});

describe('instrument: logger', () => {
  it('counts slow operations, rotations, destination errors, dropped lines and closes', async () => {
    const slow: LoggerSlowOperationEvent = {
      name: 'api',
      operation: 'HTTP GET /users/:id',
      durationMs: 1500,
      slowMs: 1000,
      failed: false,
    };
    publish(loggerChannels.slowOperation, slow);
    const rotate: LoggerRotateEvent = {
      name: 'api',
      file: '/var/log/api.log',
      reason: 'size',
      bytes: 10_485_760,
    };
    publish(loggerChannels.rotate, rotate);
    const disk = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const destinationError: LoggerDestinationErrorEvent = {
      name: 'api',
      destination: 'file',
      operation: 'write',
      error: disk,
      code: 'ENOSPC',
      droppedLines: 3,
    };
    publish(loggerChannels.destinationError, destinationError);
    const close: LoggerCloseEvent = { name: 'api', complete: false, pending: 1, durationMs: 5000 };
    publish(loggerChannels.close, close);
    const families = await scrape(metrics);
    expect(
      value(families, names.loggerSlowOperations, {
        name: 'api',
        operation: 'HTTP GET /users/:id',
        failed: 'false',
      }),
    ).toBe(1);
    expect(value(families, names.loggerRotations, { name: 'api', reason: 'size' })).toBe(1);
    expect(
      value(families, names.loggerDestinationErrors, {
        name: 'api',
        destination: 'file',
        operation: 'write',
        error_type: 'ENOSPC',
      }),
    ).toBe(1);
    expect(value(families, names.loggerDroppedLines, { name: 'api', destination: 'file' })).toBe(3);
    expect(value(families, names.loggerCloses, { name: 'api', complete: 'false' })).toBe(1);
    expect(await metrics.render()).not.toContain('/var/log');
  });
});

describe('instrument: metrics', () => {
  it('records budgets reached and failed collects of any instance, and the health of scrapes', async () => {
    const other = createMetrics({ name: 'workers' });
    const jobs = other.counter({
      name: 'jobs_total',
      help: 'Jobs.',
      labelNames: ['tenant'],
      maxSeries: 1,
    });
    jobs.inc({ tenant: 'a' });
    jobs.inc({ tenant: 'b' }); // folded: the budget is reached
    other.gauge({
      name: 'queue_depth',
      help: 'Queue depth.',
      collect() {
        throw new Error('queue unreachable');
      },
    });
    await other.render();
    await metrics.render(); // its scrape is recorded once it ends: visible on the next one
    const families = await scrape(metrics);
    expect(
      value(families, names.metricsBudgetReached, { name: 'workers', metric: 'jobs_total' }),
    ).toBe(1);
    expect(
      value(families, names.metricsCollectFailures, {
        name: 'workers',
        metric: 'queue_depth',
        error_type: 'E_INTERNAL',
      }),
    ).toBe(1);
    const samples = value(families, names.metricsScrapeSamples, {
      name: 'metrics',
      format: 'prometheus',
    });
    expect(samples).toBeGreaterThan(0);
    const slices = names.metricsScrapeLongestSlice;
    expect(
      value(families, slices, { name: 'workers', format: 'prometheus' }, `${slices}_count`),
    ).toBe(1);
  });
});
