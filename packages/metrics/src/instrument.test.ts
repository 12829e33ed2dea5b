import { channel, hasSubscribers } from 'node:diagnostics_channel';
import { fileURLToPath } from 'node:url';
import type { CacheHitEvent } from '@rampart/cache';
import { cacheChannels } from '@rampart/cache';
import type { CircuitBreakerStateEvent } from '@rampart/circuit-breaker';
import { circuitBreakerChannels } from '@rampart/circuit-breaker';
import { loggerChannels } from '@rampart/logger';
import type { RateLimiterDecisionEvent, RateLimiterFallbackEvent } from '@rampart/rate-limiter';
import { rateLimiterChannels } from '@rampart/rate-limiter';
import type { RetryBudgetExhaustedEvent } from '@rampart/retry';
import { retryChannels } from '@rampart/retry';
import { runToExit } from '@rampart/test-harness';
import fc from 'fast-check';
import { Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  INSTRUMENT_DURATION_BUCKETS,
  instrument,
  metricsChannels,
  instrumentMetricNames as names,
} from './index.ts';
import { configurationErrorOf, validationErrorOf } from './test-support/errors.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

const ALL_CHANNELS = [
  ...Object.values(retryChannels),
  ...Object.values(circuitBreakerChannels),
  ...Object.values(rateLimiterChannels),
  ...Object.values(cacheChannels),
  ...Object.values(loggerChannels),
  ...Object.values(metricsChannels),
];

const disposers: (() => void)[] = [];
function tracked(stop: () => void): () => void {
  disposers.push(stop);
  return stop;
}

afterEach(() => {
  for (const stop of disposers.splice(0)) stop();
});

function publish(name: string, payload: object): void {
  channel(name).publish(payload);
}

const breakerOpened: CircuitBreakerStateEvent = {
  name: 'users',
  from: 'closed',
  to: 'open',
  reason: 'failure-threshold',
  failureRate: 75,
  retryAfterMs: 30_000,
};

const exhausted: RetryBudgetExhaustedEvent = {
  name: 'payments',
  attempt: 1,
  delayMs: 100,
  elapsedMs: 5,
  error: new Error('boom'),
  code: undefined,
};

describe('instrument', () => {
  it('subscribes to every channel of every package, and the disposer unsubscribes them all', () => {
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(false);
    const stop = instrument(createMetrics());
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(true);
    stop();
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(false);
    expect(() => stop()).not.toThrow();
  });

  it('subscribes only to the packages asked for', () => {
    tracked(instrument(createMetrics(), { packages: ['circuit-breaker', 'retry'] }));
    for (const name of [
      ...Object.values(circuitBreakerChannels),
      ...Object.values(retryChannels),
    ]) {
      expect(hasSubscribers(name), name).toBe(true);
    }
    for (const name of [...Object.values(cacheChannels), ...Object.values(rateLimiterChannels)]) {
      expect(hasSubscribers(name), name).toBe(false);
    }
  });

  it('stops recording once disposed', async () => {
    const metrics = createMetrics();
    const stop = instrument(metrics);
    publish(retryChannels.budgetExhausted, exhausted);
    stop();
    publish(retryChannels.budgetExhausted, exhausted);
    const families = await scrape(metrics);
    expect(sampleValue(families, names.retryBudgetExhausted, undefined, { name: 'payments' })).toBe(
      1,
    );
  });

  it('is disposed by metrics.close()', async () => {
    const metrics = createMetrics();
    const stop = instrument(metrics);
    await metrics.close();
    for (const name of ALL_CHANNELS) expect(hasSubscribers(name), name).toBe(false);
    expect(() => stop()).not.toThrow();
  });

  it('refuses a closed metrics instance and objects not made by createMetrics', async () => {
    const metrics = createMetrics();
    await metrics.close();
    expect(validationErrorOf(() => instrument(metrics)).message).toMatch(
      /^instrument: `metrics` must not be closed/,
    );
    expect(
      configurationErrorOf(() => instrument({} as ReturnType<typeof createMetrics>)).message,
    ).toMatch(/^instrument: `metrics` must be an instance made by createMetrics\(\)/);
  });

  it('names every invalid option', () => {
    const error = configurationErrorOf(() =>
      instrument(createMetrics(), {
        packages: ['retry', 'redis' as 'retry'],
        nameLabel: 'no' as unknown as boolean,
        buckets: [1, 0.5],
        labels: true,
      } as never),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      ['buckets', 'nameLabel', 'packages[1]', 'labels'].sort(),
    );
    expect(error.message).toMatch(/`packages\[1\]` must be one of 'retry', 'circuit-breaker'/);
    expect(error.message).toMatch(/`buckets` must be strictly increasing/);
  });

  it('refuses to instrument a package twice into the same metrics, which would count twice', () => {
    const registry = new Registry();
    const metrics = createMetrics({ registry });
    const stop = instrument(metrics, { packages: ['retry'] });
    // another instance on the same registry shares the metrics
    const twin = createMetrics({ registry });
    const error = configurationErrorOf(() => instrument(twin, { packages: ['cache', 'retry'] }));
    expect(error.message).toMatch(/'retry' is already instrumented into these metrics/);
    // nothing was subscribed by the refused call
    for (const name of Object.values(cacheChannels)) expect(hasSubscribers(name)).toBe(false);
    tracked(instrument(metrics, { packages: ['cache'] }));
    stop();
    tracked(instrument(twin, { packages: ['retry'] }));
  });

  it('instruments another prefix of the same registry independently', async () => {
    const registry = new Registry();
    const first = createMetrics({ registry, prefix: 'blue_' });
    const second = createMetrics({ registry, prefix: 'green_' });
    tracked(instrument(first, { packages: ['retry'] }));
    tracked(instrument(second, { packages: ['retry'] }));
    publish(retryChannels.budgetExhausted, exhausted);
    const families = await scrape(first);
    for (const prefix of ['blue_', 'green_']) {
      const name = `${prefix}${names.retryBudgetExhausted}`;
      expect(sampleValue(families, name, name, { name: 'payments' })).toBe(1);
    }
  });

  it('leaves the name label out when asked, summing instances and merging condition gauges', async () => {
    const metrics = createMetrics();
    tracked(instrument(metrics, { nameLabel: false }));
    publish(retryChannels.budgetExhausted, exhausted);
    publish(retryChannels.budgetExhausted, { ...exhausted, name: 'search' });
    const fallback = (name: string, active: boolean): RateLimiterFallbackEvent => ({
      name,
      active,
      policy: 'fallback',
      consecutiveFailures: active ? 3 : 0,
      coolDownMs: 1000,
    });
    publish(rateLimiterChannels.fallback, fallback('api', true));
    publish(rateLimiterChannels.fallback, fallback('login', true));
    publish(rateLimiterChannels.fallback, fallback('api', false));
    let families = await scrape(metrics);
    expect(sampleValue(families, names.retryBudgetExhausted)).toBe(2);
    // one limiter is still on its fallback
    expect(sampleValue(families, names.rateLimiterFallbackActive)).toBe(1);
    publish(rateLimiterChannels.fallback, fallback('login', false));
    families = await scrape(metrics);
    expect(sampleValue(families, names.rateLimiterFallbackActive)).toBe(0);
    expect(await metrics.render()).not.toMatch(/name="/);
  });

  it('uses the default buckets, or those given', async () => {
    const metrics = createMetrics();
    tracked(instrument(metrics, { packages: ['circuit-breaker'] }));
    const custom = createMetrics();
    tracked(instrument(custom, { packages: ['circuit-breaker'], buckets: [0.1, 1] }));
    const histogram = names.circuitBreakerCallDuration;
    publish(circuitBreakerChannels.call, {
      name: 'users',
      outcome: 'success',
      durationMs: 50,
      probe: false,
      error: undefined,
      code: undefined,
    });
    const bounds = (families: Awaited<ReturnType<typeof scrape>>): string[] =>
      samplesOf(families, histogram, `${histogram}_bucket`).map((sample) => sample.labels.le ?? '');
    expect(bounds(await scrape(metrics))).toEqual([
      ...INSTRUMENT_DURATION_BUCKETS.map(String),
      '+Inf',
    ]);
    expect(bounds(await scrape(custom))).toEqual(['0.1', '1', '+Inf']);
  });

  it('drops a malformed event without throwing into the publisher, and counts it', async () => {
    const metrics = createMetrics();
    tracked(instrument(metrics, { packages: ['cache'] }));
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      uncaught.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      publish(cacheChannels.hit, { name: 'users', tier: { nested: true } });
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('uncaughtException', onUncaught);
    }
    expect(uncaught).toEqual([]);
    const families = await scrape(metrics);
    expect(
      sampleValue(families, names.instrumentErrors, undefined, { channel: cacheChannels.hit }),
    ).toBe(1);
  });

  it('counts every decision exactly once and never labels a key (property)', async () => {
    const decision = fc.record({
      name: fc.constantFrom('api', 'login'),
      allowed: fc.boolean(),
      source: fc.constantFrom('store', 'fallback', 'block-cache') as fc.Arbitrary<
        RateLimiterDecisionEvent['source']
      >,
      policy: fc.constantFrom('minute', 'hour'),
      key: fc.uuid(),
    });
    await fc.assert(
      fc.asyncProperty(fc.array(decision, { maxLength: 40 }), async (decisions) => {
        const metrics = createMetrics();
        const stop = instrument(metrics, { packages: ['rate-limiter'] });
        try {
          for (const { name, allowed, source, policy, key } of decisions) {
            const event: RateLimiterDecisionEvent = {
              name,
              allowed,
              source,
              policy,
              violatedPolicies: allowed ? [] : [policy],
              cost: 1,
              remaining: 0,
              retryAfterMs: allowed ? 0 : 1000,
              key,
            };
            publish(rateLimiterChannels.decision, event);
          }
          const text = await metrics.render();
          for (const { key } of decisions) expect(text).not.toContain(key);
          const families = await scrape(metrics);
          const total = samplesOf(families, names.rateLimiterDecisions).reduce(
            (sum, sample) => sum + sample.value,
            0,
          );
          expect(total).toBe(decisions.length);
          const limited = samplesOf(families, names.rateLimiterDecisions, undefined, {
            outcome: 'limited',
          }).reduce((sum, sample) => sum + sample.value, 0);
          expect(limited).toBe(decisions.filter((entry) => !entry.allowed).length);
        } finally {
          stop();
        }
      }),
      { numRuns: 50 },
    );
  });

  it('costs an unused package nothing: a channel without subscribers stays without', () => {
    tracked(instrument(createMetrics(), { packages: ['logger'] }));
    const hit: CacheHitEvent = {
      name: 'users',
      namespace: 'users',
      key: 'k',
      tier: 'l1',
      durationMs: 0,
    };
    expect(channel(cacheChannels.hit).hasSubscribers).toBe(false);
    expect(() => publish(cacheChannels.hit, hit)).not.toThrow();
  });

  it('lets the process exit on its own after metrics.close()', async () => {
    const script = fileURLToPath(
      new URL('./test-support/exit-after-instrument.ts', import.meta.url),
    );
    const result = await runToExit(process.execPath, ['--conditions=@rampart/source', script], {
      timeoutMs: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('recorded 1 opening');
  });

  it('records a breaker state published right after instrumenting', async () => {
    const metrics = createMetrics();
    tracked(instrument(metrics));
    publish(circuitBreakerChannels.state, breakerOpened);
    const families = await scrape(metrics);
    expect(sampleValue(families, names.circuitBreakerState, undefined, { name: 'users' })).toBe(1);
  });
});
