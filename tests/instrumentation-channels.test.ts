/**
 * Every channel every Rampart package exports reaches `instrument()` (which records
 * something for it) and `logEvents()` (which logs it, or deliberately ignores it: the list
 * below). The channels are read from the packages' `…Channels` objects, so a channel added
 * later without a representative payload here, a metric or a log decision fails this test.
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
  StoreStateEvent,
} from '@rampart/cache';
import { cacheChannels } from '@rampart/cache';
import type {
  CircuitBreakerCallEvent,
  CircuitBreakerRejectedEvent,
  CircuitBreakerStateEvent,
} from '@rampart/circuit-breaker';
import { circuitBreakerChannels } from '@rampart/circuit-breaker';
import { CircuitOpenError, TimeoutError, UnavailableError } from '@rampart/errors';
import type {
  FailoverAttemptEvent,
  FailoverExhaustedEvent,
  FailoverFallbackUsedEvent,
  FailoverHedgeEvent,
  FailoverProviderSkippedEvent,
} from '@rampart/failover';
import { failoverChannels } from '@rampart/failover';
import type { HealthCheckEvent, HealthShutdownEvent, HealthStatusEvent } from '@rampart/health';
import { healthChannels } from '@rampart/health';
import type {
  LoggerCloseEvent,
  LoggerDestinationErrorEvent,
  LoggerRotateEvent,
  LoggerSlowOperationEvent,
} from '@rampart/logger';
import { createLogger, logEvents, loggerChannels } from '@rampart/logger';
import type {
  MetricsCollectErrorEvent,
  MetricsOverflowEvent,
  MetricsScrapeEvent,
} from '@rampart/metrics';
import {
  createMetrics,
  instrument,
  instrumentMetricNames,
  metricsChannels,
} from '@rampart/metrics';
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
import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import type {
  MetricsCollectErrorPayload,
  MetricsOverflowPayload,
} from '../packages/logger/src/internal/log-events-metrics.ts';
import { METRICS_CHANNELS } from '../packages/logger/src/internal/log-events-metrics.ts';

const PACKAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  retry: retryChannels,
  'circuit-breaker': circuitBreakerChannels,
  'rate-limiter': rateLimiterChannels,
  cache: cacheChannels,
  failover: failoverChannels,
  logger: loggerChannels,
  metrics: metricsChannels,
  health: healthChannels,
};

const EVERY_CHANNEL: readonly string[] = Object.values(PACKAGES).flatMap((channels) =>
  Object.values(channels),
);

/** The instance name every payload carries, so its series can be told from the observer's. */
const SOURCE = 'inventory';

const timeout = new TimeoutError('call took longer than 100 ms');
const unavailable = new UnavailableError('connect ECONNREFUSED 127.0.0.1:6379');
const open = new CircuitOpenError('circuit inventory is open', { retryAfterMs: 5_000 });
const cacheBase = { name: SOURCE, namespace: SOURCE, key: 'sku:1234' } as const;

/** A realistic payload for every channel, typed with the package's own event type. */
const PAYLOADS: Readonly<Record<string, object>> = {
  [retryChannels.attempt]: {
    name: SOURCE,
    attempt: 1,
    retriesLeft: 2,
    delayMs: 200,
    elapsedMs: 100,
    error: timeout,
    code: timeout.code,
  } satisfies RetryAttemptEvent,
  [retryChannels.giveUp]: {
    name: SOURCE,
    attempt: 3,
    reason: 'retries-exhausted',
    delayMs: 0,
    elapsedMs: 900,
    error: timeout,
    code: timeout.code,
  } satisfies RetryGiveUpEvent,
  [retryChannels.budgetExhausted]: {
    name: SOURCE,
    attempt: 1,
    delayMs: 200,
    elapsedMs: 100,
    error: timeout,
    code: timeout.code,
  } satisfies RetryBudgetExhaustedEvent,
  [circuitBreakerChannels.state]: {
    name: SOURCE,
    from: 'closed',
    to: 'open',
    reason: 'failure-threshold',
    failureRate: 55,
    retryAfterMs: 5_000,
  } satisfies CircuitBreakerStateEvent,
  [circuitBreakerChannels.call]: {
    name: SOURCE,
    outcome: 'timeout',
    durationMs: 100,
    probe: false,
    error: timeout,
    code: timeout.code,
  } satisfies CircuitBreakerCallEvent,
  [circuitBreakerChannels.rejected]: {
    name: SOURCE,
    reason: 'open',
    state: 'open',
    retryAfterMs: 5_000,
    error: open,
    code: open.code,
  } satisfies CircuitBreakerRejectedEvent,
  [rateLimiterChannels.decision]: {
    name: SOURCE,
    allowed: false,
    source: 'store',
    policy: 'minute',
    violatedPolicies: ['minute'],
    cost: 1,
    remaining: 0,
    retryAfterMs: 12_000,
    key: '198.51.100.4',
  } satisfies RateLimiterDecisionEvent,
  [rateLimiterChannels.storeError]: {
    name: SOURCE,
    operation: 'consume',
    error: unavailable,
    code: unavailable.code,
    consecutiveFailures: 1,
    key: '198.51.100.4',
  } satisfies RateLimiterStoreErrorEvent,
  [rateLimiterChannels.fallback]: {
    name: SOURCE,
    active: true,
    policy: 'fallback',
    consecutiveFailures: 3,
    coolDownMs: 1_000,
    error: unavailable,
    code: unavailable.code,
  } satisfies RateLimiterFallbackEvent,
  [rateLimiterChannels.storeState]: {
    name: SOURCE,
    component: 'rate-limiter',
    from: 'healthy',
    to: 'cooling-down',
    health: {
      state: 'cooling-down',
      consecutiveFailures: 3,
      changedAt: 1_000,
      retryAfterMs: 1_000,
    },
    error: unavailable,
    code: unavailable.code,
  } satisfies StoreStateEvent,
  [cacheChannels.hit]: { ...cacheBase, tier: 'l2', durationMs: 0.8 } satisfies CacheHitEvent,
  [cacheChannels.miss]: { ...cacheBase, tier: 'l2', durationMs: 0.9 } satisfies CacheMissEvent,
  [cacheChannels.stale]: {
    ...cacheBase,
    tier: 'l1',
    reason: 'soft-timeout',
    staleForMs: 2_000,
  } satisfies CacheStaleEvent,
  [cacheChannels.factory]: {
    ...cacheBase,
    outcome: 'success',
    durationMs: 45,
    background: false,
  } satisfies CacheFactoryEvent,
  [cacheChannels.l2Error]: {
    name: SOURCE,
    namespace: SOURCE,
    tier: 'l2',
    key: 'sku:1234',
    operation: 'get',
    durationMs: 100,
    error: timeout,
    code: timeout.code,
    timedOut: true,
    coolingDown: true,
  } satisfies CacheL2ErrorEvent,
  [cacheChannels.eviction]: {
    ...cacheBase,
    tier: 'l1',
    reason: 'capacity',
  } satisfies CacheEvictionEvent,
  [cacheChannels.bus]: {
    name: SOURCE,
    namespace: SOURCE,
    state: 'disconnected',
  } satisfies CacheBusEvent,
  [cacheChannels.lock]: { ...cacheBase, outcome: 'lost', waitedMs: 0 } satisfies CacheLockEvent,
  [cacheChannels.fenced]: { ...cacheBase, tier: 'l2', reason: 'key' } satisfies CacheFencedEvent,
  [failoverChannels.attempt]: {
    name: SOURCE,
    provider: 'primary',
    attempt: 1,
    hedge: false,
    outcome: 'failure',
    durationMs: 100,
    error: timeout,
    code: timeout.code,
  } satisfies FailoverAttemptEvent,
  [failoverChannels.providerSkipped]: {
    name: SOURCE,
    provider: 'primary',
    reason: 'open',
    availability: 'open',
    retryAfterMs: 5_000,
  } satisfies FailoverProviderSkippedEvent,
  [failoverChannels.hedge]: {
    name: SOURCE,
    waitingOn: 'primary',
    provider: 'secondary',
    delayMs: 120,
    hedge: 1,
  } satisfies FailoverHedgeEvent,
  [failoverChannels.fallbackUsed]: {
    name: SOURCE,
    reason: 'all-unavailable',
    succeeded: false,
  } satisfies FailoverFallbackUsedEvent,
  [failoverChannels.exhausted]: {
    name: SOURCE,
    reason: 'all-unavailable',
    attempts: 0,
    retryAfterMs: 5_000,
    lastResort: true,
  } satisfies FailoverExhaustedEvent,
  [cacheChannels.storeState]: {
    name: SOURCE,
    component: 'cache',
    from: 'healthy',
    to: 'cooling-down',
    health: {
      state: 'cooling-down',
      consecutiveFailures: 5,
      changedAt: 1_000,
      retryAfterMs: 1_000,
    },
    error: timeout,
    code: timeout.code,
  } satisfies StoreStateEvent,
  [cacheChannels.replay]: {
    name: SOURCE,
    namespace: SOURCE,
    keys: 12,
    tags: 1,
    overflowed: false,
    cleared: false,
  } satisfies CacheReplayEvent,
  [loggerChannels.slowOperation]: {
    name: SOURCE,
    operation: 'HTTP GET /items/:sku',
    durationMs: 1_800,
    slowMs: 1_000,
    failed: false,
  } satisfies LoggerSlowOperationEvent,
  [loggerChannels.rotate]: {
    name: SOURCE,
    file: 'logs/inventory.log',
    reason: 'frequency',
    bytes: 52_311,
  } satisfies LoggerRotateEvent,
  [loggerChannels.destinationError]: {
    name: SOURCE,
    destination: 'file',
    operation: 'write',
    error: Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
    code: 'EACCES',
    droppedLines: 1,
  } satisfies LoggerDestinationErrorEvent,
  [loggerChannels.close]: {
    name: SOURCE,
    complete: true,
    pending: 0,
    durationMs: 12,
  } satisfies LoggerCloseEvent,
  [metricsChannels.overflow]: {
    name: SOURCE,
    metric: 'http_server_request_duration_seconds',
    maxSeries: 2_000,
  } satisfies MetricsOverflowEvent,
  [metricsChannels.collectError]: {
    name: SOURCE,
    metric: 'db_pool_connections',
    error: new Error('pool closed'),
    code: undefined,
  } satisfies MetricsCollectErrorEvent,
  [metricsChannels.scrape]: {
    name: SOURCE,
    format: 'prometheus',
    durationMs: 4,
    longestSliceMs: 2,
    families: 30,
    samples: 420,
    characters: 31_000,
  } satisfies MetricsScrapeEvent,
  [healthChannels.check]: {
    name: SOURCE,
    check: 'database',
    status: 'fail',
    checkStatus: 'fail',
    critical: true,
    durationMs: 250,
    timedOut: true,
    error: undefined,
    code: undefined,
  } satisfies HealthCheckEvent,
  [healthChannels.status]: {
    name: SOURCE,
    group: 'readiness',
    from: 'pass',
    to: 'fail',
    unhealthy: ['database'],
  } satisfies HealthStatusEvent,
  [healthChannels.shutdown]: {
    name: SOURCE,
    phase: 'forced',
    reason: 'SIGTERM',
    elapsedMs: 25_000,
    handler: undefined,
    error: undefined,
    pending: ['redis', 'logger (not started)'],
  } satisfies HealthShutdownEvent,
};

/** Channels `logEvents()` deliberately does not log, and why. */
const IGNORED_BY_LOG_EVENTS: Readonly<Record<string, string>> = {
  [retryChannels.attempt]: 'per call; the give-up or the result tells the caller',
  [retryChannels.giveUp]: 'the caller receives the error and logs it in context',
  [circuitBreakerChannels.call]: 'per call; state changes are logged',
  [circuitBreakerChannels.rejected]: 'per call while open; the opening is logged',
  [rateLimiterChannels.decision]: 'per call; a limited request is an answer, not a fault',
  [rateLimiterChannels.fallback]: 'the store-state channel logs the same switches',
  [cacheChannels.hit]: 'per call; counted by instrument()',
  [cacheChannels.miss]: 'per call; counted by instrument()',
  [cacheChannels.stale]: 'per call; counted by instrument()',
  [cacheChannels.factory]: 'per call; the caller receives factory errors',
  [cacheChannels.eviction]: 'routine; counted by instrument()',
  [cacheChannels.fenced]: 'routine concurrency; counted by instrument()',
  [failoverChannels.attempt]: 'per call; counted by instrument(), breakers log state changes',
  [failoverChannels.providerSkipped]: 'per call while a provider is out; its breaker logs why',
  [failoverChannels.hedge]: 'per call; counted by instrument()',
  [loggerChannels.slowOperation]: 'timed() and httpRequestLogger already log it at warn',
  [loggerChannels.rotate]: 'routine; counted by instrument()',
  [loggerChannels.close]: 'closeLogger returns its result to the caller',
  [metricsChannels.scrape]: 'per scrape; measured by instrument()',
  [healthChannels.check]: 'per probe; the status changes of the groups are logged',
};

function payloadFor(name: string): object {
  const payload = PAYLOADS[name];
  if (payload === undefined) {
    throw new Error(`no representative payload for ${name}: add one to this test`);
  }
  return payload;
}

describe('every channel of every package', () => {
  it('has a representative payload here, and names that follow rampart:<package>:<event>', () => {
    for (const [pkg, channels] of Object.entries(PACKAGES)) {
      for (const name of Object.values(channels)) {
        expect(name).toMatch(new RegExp(`^rampart:${pkg}:[a-z0-9-]+$`));
        expect(() => payloadFor(name)).not.toThrow();
      }
    }
    expect(Object.keys(PAYLOADS).sort()).toEqual([...EVERY_CHANNEL].sort());
  });

  describe('instrument()', () => {
    const watched: readonly string[] = Object.values(instrumentMetricNames).filter(
      (name) => name !== instrumentMetricNames.instrumentErrors,
    );

    /** The samples of instrument's metrics about SOURCE, by series. */
    async function seriesAboutSource(
      metrics: ReturnType<typeof createMetrics>,
    ): Promise<Map<string, number>> {
      const series = new Map<string, number>();
      for (const line of (await metrics.render()).split('\n')) {
        if (line.startsWith('#') || !line.includes(`name="${SOURCE}"`)) continue;
        if (!watched.some((name) => line.startsWith(name))) continue;
        const cut = line.lastIndexOf(' ');
        series.set(line.slice(0, cut), Number(line.slice(cut + 1)));
      }
      return series;
    }

    it.each(EVERY_CHANNEL)('records something for %s', async (name) => {
      const metrics = createMetrics({ name: 'observer' });
      const stop = instrument(metrics);
      try {
        const before = await seriesAboutSource(metrics);
        channel(name).publish(payloadFor(name));
        const after = await seriesAboutSource(metrics);
        const changed = [...after].filter(([series, value]) => before.get(series) !== value);
        expect(changed.length, `nothing recorded for ${name}`).toBeGreaterThan(0);
        const text = await metrics.render();
        expect(text).not.toContain(`${instrumentMetricNames.instrumentErrors}{`);
        // keys, paths and addresses never become labels
        for (const secret of ['sku:1234', '198.51.100.4', 'logs/inventory.log']) {
          expect(text).not.toContain(secret);
        }
      } finally {
        stop();
      }
    });
  });

  describe('logEvents()', () => {
    let lines: Record<string, unknown>[];
    let stop: () => void;

    beforeEach(() => {
      vi.useFakeTimers();
      lines = [];
      const logger = createLogger({
        name: 'observer',
        level: 'trace',
        destination: {
          stream: {
            write(line: string) {
              lines.push(JSON.parse(line) as Record<string, unknown>);
            },
          },
        },
      });
      stop = logEvents(logger);
    });

    afterEach(() => {
      stop();
      vi.useRealTimers();
    });

    const logged = EVERY_CHANNEL.filter((name) => !(name in IGNORED_BY_LOG_EVENTS));

    it.each(logged)('logs %s', async (name) => {
      channel(name).publish(payloadFor(name));
      await vi.advanceTimersByTimeAsync(0); // destination errors are logged on a microtask
      expect(lines.length, `no line for ${name}`).toBe(1);
      const line = lines[0] ?? {};
      expect(line.event).toMatch(/^[a-z-]+\.[a-z0-9-]+$/);
      expect(JSON.stringify(line)).not.toContain('sku:1234');
      expect(JSON.stringify(line)).not.toContain('198.51.100.4');
    });

    it.each(Object.keys(IGNORED_BY_LOG_EVENTS))('deliberately ignores %s', async (name) => {
      expect(EVERY_CHANNEL).toContain(name);
      expect(channel(name).hasSubscribers).toBe(false);
      channel(name).publish(payloadFor(name));
      await vi.advanceTimersByTimeAsync(0);
      expect(lines).toEqual([]);
    });

    it.each([cacheChannels.storeState, rateLimiterChannels.storeState])(
      'logs %s alike for the cache and the rate limiter: down, then back',
      (name) => {
        const down = payloadFor(name) as StoreStateEvent;
        channel(name).publish(down);
        channel(name).publish({ ...down, from: 'cooling-down', to: 'probing' });
        channel(name).publish({ ...down, from: 'probing', to: 'healthy', error: undefined });
        expect(lines.map((line) => line.level)).toEqual([40, 30]);
        expect(lines[0]?.consecutiveFailures).toBe(down.health.consecutiveFailures);
        expect(lines[0]?.code).toBe(down.code);
      },
    );
  });

  it('the metrics payloads logEvents reads match @rampart/metrics', () => {
    expect(METRICS_CHANNELS).toEqual(metricsChannels);
    expectTypeOf<MetricsOverflowEvent>().toExtend<MetricsOverflowPayload>();
    expectTypeOf<MetricsCollectErrorEvent>().toExtend<MetricsCollectErrorPayload>();
  });
});
