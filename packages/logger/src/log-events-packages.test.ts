/**
 * What `logEvents()` writes for each package: realistic payloads, typed with the packages'
 * own event types, published on the real channels.
 */
import { channel } from 'node:diagnostics_channel';
import type {
  CacheBusEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheReplayEvent,
  StoreState,
  StoreStateEvent,
} from '@rampart/cache';
import { cacheChannels } from '@rampart/cache';
import type { CircuitBreakerStateEvent, CircuitState } from '@rampart/circuit-breaker';
import { circuitBreakerChannels } from '@rampart/circuit-breaker';
import type { RampartError } from '@rampart/errors';
import { TimeoutError, UnavailableError } from '@rampart/errors';
import type { RateLimiterStoreErrorEvent } from '@rampart/rate-limiter';
import { rateLimiterChannels } from '@rampart/rate-limiter';
import type { RetryBudgetExhaustedEvent } from '@rampart/retry';
import { retryChannels } from '@rampart/retry';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type LoggerDestinationErrorEvent, loggerChannels } from './channels.ts';
import { createLogger } from './create-logger.ts';
import type {
  MetricsCollectErrorPayload,
  MetricsOverflowPayload,
} from './internal/log-events-metrics.ts';
import { METRICS_CHANNELS } from './internal/log-events-metrics.ts';
import { logEvents } from './log-events.ts';
import { capture, type LogRecord } from './test-fixtures/capture.ts';

/** A store guard's change of state, as the cache and the rate limiter publish it. */
function stateChange(
  name: string,
  component: string,
  from: StoreState,
  to: StoreState,
  error?: RampartError,
): StoreStateEvent {
  const health = {
    state: to,
    consecutiveFailures: to === 'healthy' ? 0 : 3,
    changedAt: Date.now(),
    retryAfterMs: to === 'cooling-down' ? 1000 : 0,
  };
  return error === undefined
    ? { name, component, from, to, health }
    : { name, component, from, to, health, error, code: error.code };
}

function publish(name: string, payload: object): void {
  channel(name).publish(payload);
}

let output: ReturnType<typeof capture>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  output = capture();
  const logger = createLogger({
    name: 'api',
    destination: { stream: output.stream },
    level: 'debug',
  });
  stop = logEvents(logger, { minIntervalMs: 60_000 });
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

const LEVEL = { warn: 40, info: 30, error: 50 } as const;

function lines(event?: string): LogRecord[] {
  const records = output.records();
  return event === undefined ? records : records.filter((record) => record.event === event);
}

describe('logEvents: circuit breaker', () => {
  const change = (
    from: CircuitState,
    to: CircuitState,
    reason: CircuitBreakerStateEvent['reason'],
  ): CircuitBreakerStateEvent => ({
    name: 'users',
    from,
    to,
    reason,
    failureRate: 62.5,
    retryAfterMs: to === 'open' ? 30_000 : undefined,
  });

  it('warns when a circuit opens, and says at info when it is half-open and closed again', async () => {
    publish(circuitBreakerChannels.state, change('closed', 'open', 'failure-threshold'));
    await vi.advanceTimersByTimeAsync(30_000);
    publish(circuitBreakerChannels.state, change('open', 'half-open', 'reset-timeout'));
    publish(circuitBreakerChannels.state, change('half-open', 'open', 'probe-failed'));
    await vi.advanceTimersByTimeAsync(30_000);
    publish(circuitBreakerChannels.state, change('open', 'half-open', 'reset-timeout'));
    publish(circuitBreakerChannels.state, change('half-open', 'closed', 'probes-succeeded'));
    const records = lines();
    expect(records.map((record) => [record.event, record.level])).toEqual([
      ['circuit-breaker.opened', LEVEL.warn],
      ['circuit-breaker.half-open', LEVEL.info],
      ['circuit-breaker.opened', LEVEL.warn],
      ['circuit-breaker.half-open', LEVEL.info],
      ['circuit-breaker.closed', LEVEL.info],
    ]);
    expect(records[0]).toMatchObject({
      breaker: 'users',
      from: 'closed',
      to: 'open',
      reason: 'failure-threshold',
      failureRate: 62.5,
      retryAfterMs: 30_000,
      name: 'api', // the logger's own name is left alone
      msg: 'circuit breaker "users" opened: failure rate 62.5 % reached its threshold; next trial call in 30000 ms',
    });
    expect(records[2]?.msg).toBe(
      'circuit breaker "users" opened again: a trial call failed; next trial call in 30000 ms',
    );
    // how long it was not closed, from the first opening
    expect(records[4]).toMatchObject({ openForMs: 60_000, reason: 'probes-succeeded' });
  });

  it('warns when a circuit is isolated by hand', () => {
    publish(circuitBreakerChannels.state, change('closed', 'isolated', 'isolated'));
    expect(output.last()).toMatchObject({
      event: 'circuit-breaker.isolated',
      level: LEVEL.warn,
      msg: 'circuit breaker "users" isolated: held open by hand',
    });
  });
});

describe('logEvents: rate limiter', () => {
  const timeout = new TimeoutError('store call took longer than 50 ms');
  const storeError: RateLimiterStoreErrorEvent = {
    name: 'login',
    operation: 'consume',
    error: timeout,
    code: timeout.code,
    consecutiveFailures: 1,
    key: '203.0.113.7',
  };

  it('warns when the store is skipped and says at info when it is back, with how long it took', async () => {
    publish(
      rateLimiterChannels.storeState,
      stateChange('login', 'rate-limiter', 'healthy', 'cooling-down', timeout),
    );
    publish(
      rateLimiterChannels.storeState,
      stateChange('login', 'rate-limiter', 'cooling-down', 'probing'),
    );
    publish(
      rateLimiterChannels.storeState,
      stateChange('login', 'rate-limiter', 'probing', 'cooling-down'),
    );
    expect(lines()).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(12_000);
    publish(
      rateLimiterChannels.storeState,
      stateChange('login', 'rate-limiter', 'cooling-down', 'probing'),
    );
    publish(
      rateLimiterChannels.storeState,
      stateChange('login', 'rate-limiter', 'probing', 'healthy'),
    );
    const [down, up] = lines();
    expect(down).toMatchObject({
      event: 'rate-limiter.fallback-engaged',
      level: LEVEL.warn,
      limiter: 'login',
      consecutiveFailures: 3,
      retryAfterMs: 1000,
      code: 'E_TIMEOUT',
      source: 'fallback',
      err: { code: 'E_TIMEOUT', message: 'store call took longer than 50 ms' },
      msg: 'rate limiter "login": its store is skipped after 3 failures in a row (E_TIMEOUT); calls skip it, with source "fallback", until a probe succeeds (next in 1000 ms)',
    });
    expect(up).toMatchObject({
      event: 'rate-limiter.fallback-recovered',
      level: LEVEL.info,
      fallbackForMs: 12_000,
      source: 'store',
      msg: 'rate limiter "login": its store is answering again (source "store")',
    });
    // The fallback channel reports the same switches: it is not logged twice.
    expect(channel(rateLimiterChannels.fallback).hasSubscribers).toBe(false);
  });

  it('logs store errors at most once a minute per limiter, with a count of the others, and no key', async () => {
    for (let index = 0; index < 50; index += 1) {
      publish(rateLimiterChannels.storeError, { ...storeError, consecutiveFailures: index + 1 });
    }
    publish(rateLimiterChannels.storeError, { ...storeError, name: 'api' });
    expect(lines('rate-limiter.store-error').map((record) => record.limiter)).toEqual([
      'login',
      'api',
    ]);
    await vi.advanceTimersByTimeAsync(60_000);
    const summary = lines('rate-limiter.store-error')[2];
    expect(summary).toMatchObject({
      limiter: 'login',
      suppressed: 49,
      consecutiveFailures: 50,
      source: 'fallback',
      level: LEVEL.warn,
      msg: 'rate limiter "login": store consume failed (E_TIMEOUT); the call was decided by the fallback (source "fallback") (49 more since the previous line; this is the latest)',
    });
    expect(output.lines.join('')).not.toContain('203.0.113.7');
  });
});

describe('logEvents: retry', () => {
  it('warns about an exhausted retry budget, at most once a minute per policy', async () => {
    const error = new UnavailableError('payments unavailable');
    const exhausted: RetryBudgetExhaustedEvent = {
      name: 'payments',
      attempt: 1,
      delayMs: 200,
      elapsedMs: 40,
      error,
      code: error.code,
    };
    for (let index = 0; index < 10; index += 1) publish(retryChannels.budgetExhausted, exhausted);
    expect(lines()).toHaveLength(1);
    expect(output.last()).toMatchObject({
      event: 'retry.budget-exhausted',
      level: LEVEL.warn,
      retryPolicy: 'payments',
      code: 'E_UNAVAILABLE',
      err: { code: 'E_UNAVAILABLE' },
      msg: 'retry policy "payments": retry budget exhausted, failing calls without retrying',
    });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(output.last()).toMatchObject({ suppressed: 9 });
  });
});

describe('logEvents: cache', () => {
  const failure = new UnavailableError('L2 get failed: connect ECONNREFUSED');
  const l2Error = (name: string, coolingDown: boolean): CacheL2ErrorEvent => ({
    name,
    namespace: name,
    tier: 'l2',
    key: 'user:42',
    operation: 'get',
    durationMs: 3,
    error: failure,
    code: failure.code,
    timedOut: false,
    coolingDown,
  });

  it('warns once when L2 goes down and says at info when it is healthy again, like a limiter store', async () => {
    publish(
      cacheChannels.storeState,
      stateChange('users', 'cache', 'healthy', 'cooling-down', failure),
    );
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'cooling-down', 'probing'));
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'probing', 'cooling-down')); // a failed probe
    expect(lines()).toHaveLength(1);
    expect(output.last()).toMatchObject({
      event: 'cache.l2-down',
      level: LEVEL.warn,
      cache: 'users',
      consecutiveFailures: 3,
      code: 'E_UNAVAILABLE',
      err: { code: 'E_UNAVAILABLE' },
      msg: 'cache "users": L2 is skipped after 3 failures in a row (E_UNAVAILABLE); calls skip it until a probe succeeds (next in 1000 ms)',
    });
    await vi.advanceTimersByTimeAsync(4_000);
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'cooling-down', 'probing'));
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'probing', 'healthy'));
    expect(lines()).toHaveLength(2);
    expect(output.last()).toMatchObject({
      event: 'cache.l2-up',
      level: LEVEL.info,
      cache: 'users',
      downForMs: 4_000,
      msg: 'cache "users": L2 is answering again',
    });
  });

  it('follows each cache on its own and logs L2 errors throttled, without keys', () => {
    publish(
      cacheChannels.storeState,
      stateChange('users', 'cache', 'healthy', 'cooling-down', failure),
    );
    publish(
      cacheChannels.storeState,
      stateChange('orders', 'cache', 'healthy', 'cooling-down', failure),
    );
    publish(cacheChannels.storeState, stateChange('users', 'cache', 'probing', 'healthy'));
    expect(lines('cache.l2-down').map((record) => record.cache)).toEqual(['users', 'orders']);
    expect(lines('cache.l2-up').map((record) => record.cache)).toEqual(['users']);
    for (let index = 0; index < 5; index += 1)
      publish(cacheChannels.l2Error, l2Error('users', false));
    expect(lines('cache.l2-error')).toHaveLength(1);
    expect(lines('cache.l2-error')[0]).toMatchObject({
      cache: 'users',
      operation: 'get',
      code: 'E_UNAVAILABLE',
    });
    expect(lines('cache.l2-error')[0]?.key).toBeUndefined();
    expect(channel(cacheChannels.hit).hasSubscribers).toBe(false);
  });

  it('logs a replay at info, and an overflowed journal at warn', () => {
    const replay = (overflowed: boolean): CacheReplayEvent => ({
      name: 'users',
      namespace: 'users',
      keys: overflowed ? 0 : 4,
      tags: overflowed ? 0 : 1,
      overflowed,
      cleared: overflowed,
    });
    publish(cacheChannels.replay, replay(false));
    publish(cacheChannels.replay, replay(true));
    expect(lines()).toMatchObject([
      { event: 'cache.l2-replayed', level: LEVEL.info, keys: 4, tags: 1, cleared: false },
      { event: 'cache.l2-journal-overflowed', level: LEVEL.warn, cleared: true },
    ]);
  });

  it('logs the bus going down and coming back, failed publishes and lost locks', async () => {
    const bus = (event: Omit<CacheBusEvent, 'name' | 'namespace'>): CacheBusEvent => ({
      name: 'users',
      namespace: 'users',
      ...event,
    });
    publish(cacheChannels.bus, bus({ state: 'connected' })); // the first connection: routine
    publish(cacheChannels.bus, bus({ state: 'disconnected' }));
    const error = new UnavailableError('publish failed');
    publish(cacheChannels.bus, bus({ state: 'publish-failed', error, code: error.code }));
    publish(cacheChannels.bus, bus({ state: 'publish-failed', error, code: error.code }));
    publish(cacheChannels.bus, bus({ state: 'connected', downForMs: 2_500 }));
    const lost: CacheLockEvent = {
      name: 'users',
      namespace: 'users',
      key: 'user:42',
      outcome: 'lost',
      waitedMs: 0,
    };
    publish(cacheChannels.lock, { ...lost, outcome: 'acquired' } satisfies CacheLockEvent);
    publish(cacheChannels.lock, lost);
    expect(lines().map((record) => [record.event, record.level])).toEqual([
      ['cache.bus-disconnected', LEVEL.warn],
      ['cache.bus-publish-failed', LEVEL.warn],
      ['cache.bus-reconnected', LEVEL.info],
      ['cache.lock-lost', LEVEL.warn],
    ]);
    expect(lines('cache.bus-reconnected')[0]).toMatchObject({ downForMs: 2_500 });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(lines('cache.bus-publish-failed')[1]).toMatchObject({ suppressed: 1 });
  });
});

describe('logEvents: logger and metrics', () => {
  it('logs destination errors at error, on the next microtask and throttled per destination', async () => {
    const disk = Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    const failed: LoggerDestinationErrorEvent = {
      name: 'audit',
      destination: 'file',
      operation: 'write',
      error: disk,
      code: 'ENOSPC',
      droppedLines: 1,
    };
    publish(loggerChannels.destinationError, failed);
    publish(loggerChannels.destinationError, failed);
    publish(loggerChannels.destinationError, { ...failed, destination: 'stderr' });
    expect(lines()).toEqual([]);
    await Promise.resolve();
    expect(lines().map((record) => record.destination)).toEqual(['file', 'stderr']);
    expect(lines()[0]).toMatchObject({
      event: 'logger.destination-error',
      level: LEVEL.error,
      logger: 'audit',
      operation: 'write',
      code: 'ENOSPC',
      droppedLines: 1,
      err: { message: 'ENOSPC: no space left on device' },
      msg: 'logger "audit": file destination failed to write (ENOSPC); 1 lines lost',
    });
  });

  it('warns when a metric reaches its series budget and when a collect fails', () => {
    const overflow: MetricsOverflowPayload = {
      name: 'metrics',
      metric: 'http_server_request_duration_seconds',
      maxSeries: 2000,
    };
    publish(METRICS_CHANNELS.overflow, overflow);
    const collectError: MetricsCollectErrorPayload = {
      name: 'metrics',
      metric: 'queue_depth',
      error: new Error('queue unreachable'),
      code: undefined,
    };
    publish(METRICS_CHANNELS.collectError, collectError);
    publish(METRICS_CHANNELS.collectError, collectError);
    expect(lines().map((record) => [record.event, record.level, record.metric])).toEqual([
      ['metrics.overflow', LEVEL.warn, 'http_server_request_duration_seconds'],
      ['metrics.collect-error', LEVEL.warn, 'queue_depth'],
    ]);
  });
});
