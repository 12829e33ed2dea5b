import { createCache, type L2Store } from '@rampart/cache';
import { createCircuitBreaker, createCircuitBreakerRegistry } from '@rampart/circuit-breaker';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cacheCheck,
  circuitBreakerCheck,
  createHealth,
  type HealthCheck,
  type HealthCheckOutcome,
  heapCheck,
  type RateLimiterStoreHealth,
  rateLimiterCheck,
} from '../index.ts';
import { type DelayHistogram, delayCheck } from './event-loop-delay-check.ts';
import { heapUsageCheck } from './heap-check.ts';
import { redisCheck } from './redis-check.ts';

const signal = new AbortController().signal;
const run = async (check: HealthCheck): Promise<HealthCheckOutcome> =>
  (await check({ signal })) as HealthCheckOutcome;

describe('rateLimiterCheck', () => {
  const limiterIn = (state: RateLimiterStoreHealth['state']) => {
    const health: RateLimiterStoreHealth = {
      state,
      consecutiveFailures: state === 'healthy' ? 0 : 5,
      changedAt: 0,
      retryAfterMs: state === 'cooling-down' ? 1_200 : 0,
    };
    return { state: () => health };
  };

  it('passes while the limiter answers from its store', async () => {
    expect(await run(rateLimiterCheck(limiterIn('healthy')))).toMatchObject({ status: 'pass' });
  });

  it('warns by default, or fails when asked, while the fallback answers', async () => {
    for (const state of ['cooling-down', 'probing'] as const) {
      expect((await run(rateLimiterCheck(limiterIn(state)))).status).toBe('warn');
      expect((await run(rateLimiterCheck(limiterIn(state), { fallback: 'fail' }))).status).toBe(
        'fail',
      );
    }
    expect((await run(rateLimiterCheck(limiterIn('cooling-down')))).output).toContain('1200 ms');
  });

  it('takes null options as the defaults', async () => {
    expect((await run(rateLimiterCheck(limiterIn('probing'), null as never))).status).toBe('warn');
    expect((await run(heapCheck(null as never))).observedUnit).toBe('percent');
  });

  it('rejects a limiter without state() and a bad fallback status', () => {
    expect(() => rateLimiterCheck({} as never)).toThrow(/`limiter` must have a state\(\)/);
    expect(() => rateLimiterCheck(limiterIn('healthy'), { fallback: 'down' as never })).toThrow(
      /`fallback`/,
    );
  });
});

describe('cacheCheck, with a real cache', () => {
  const failingL2: L2Store = {
    get: () => Promise.reject(new Error('l2 down')),
    set: () => Promise.reject(new Error('l2 down')),
    delete: () => Promise.reject(new Error('l2 down')),
    clear: () => Promise.reject(new Error('l2 down')),
  };

  it('passes for a memory-only cache', async () => {
    const cache = createCache({ namespace: 'memory', ttlMs: 1_000 });
    expect(await run(cacheCheck(cache))).toMatchObject({ status: 'pass', output: 'memory only' });
    await cache.close();
  });

  it('warns (or fails when asked) once the second tier cools down', async () => {
    const cache = createCache({
      namespace: 'degraded',
      ttlMs: 1_000,
      l2: failingL2,
      l2FailureThreshold: 1,
      l2CooldownMs: 60_000,
    });
    expect((await run(cacheCheck(cache))).status).toBe('pass');
    await cache.getOrSet('k', () => 'v');
    expect(cache.stats().l2.state).toBe('cooling-down');
    expect(await run(cacheCheck(cache))).toMatchObject({
      status: 'warn',
      output: 'second tier cooling-down; serving from memory',
    });
    expect((await run(cacheCheck(cache, { degraded: 'fail' }))).status).toBe('fail');
    await cache.close();
  });
});

describe('circuitBreakerCheck, with real breakers', () => {
  it('passes while closed and reports an isolated breaker as warn or fail', async () => {
    const breaker = createCircuitBreaker(async () => 'ok', { name: 'payments' });
    expect(await run(circuitBreakerCheck(breaker))).toMatchObject({
      status: 'pass',
      output: '1 of 1 closed',
    });
    const isolation = breaker.isolate();
    expect(await run(circuitBreakerCheck(breaker))).toMatchObject({
      status: 'warn',
      output: '0 of 1 closed; payments isolated',
    });
    expect((await run(circuitBreakerCheck(breaker, { open: 'fail' }))).status).toBe('fail');
    isolation.release();
    await breaker.dispose();
  });

  it('names every breaker of a registry that is not closed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }), async (isolated) => {
        const registry = createCircuitBreakerRegistry();
        isolated.forEach((isolate, index) => {
          const breaker = registry.get(`b${index}`, async () => 'ok');
          if (isolate) breaker.isolate();
        });
        const outcome = await run(circuitBreakerCheck(registry, { open: 'fail' }));
        const down = isolated.flatMap((isolate, index) => (isolate ? [`b${index}`] : []));
        expect(outcome.status).toBe(down.length > 0 ? 'fail' : 'pass');
        expect(outcome.observedValue).toBe(down.length);
        for (const name of down) expect(outcome.output).toContain(`${name} isolated`);
        await registry.dispose();
      }),
      { numRuns: 25 },
    );
  });

  it('rejects something that is neither a breaker nor a registry', () => {
    expect(() => circuitBreakerCheck({} as never)).toThrow(/`source`/);
  });
});

describe('eventLoopDelayCheck', () => {
  function histogram(delaysMs: number[]): DelayHistogram & { enabled: boolean } {
    let samples = [...delaysMs];
    return {
      enabled: false,
      get count() {
        return samples.length;
      },
      percentile(percentile) {
        const sorted = [...samples].sort((a, b) => a - b);
        const index = Math.min(
          sorted.length - 1,
          Math.ceil((percentile / 100) * sorted.length) - 1,
        );
        return (sorted[Math.max(0, index)] as number) * 1e6;
      },
      reset() {
        samples = [];
      },
      enable() {
        this.enabled = true;
        return true;
      },
      disable() {
        this.enabled = false;
        return true;
      },
    };
  }

  it('compares the chosen percentile of the window with the thresholds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 2_000 }), { minLength: 1, maxLength: 50 }),
        fc.integer({ min: 1, max: 2_000 }),
        async (delays, thresholdMs) => {
          const samples = histogram(delays);
          const p99 = samples.percentile(99) / 1e6;
          const outcome = await run(delayCheck(samples, { thresholdMs }));
          expect(outcome.observedValue).toBe(p99);
          expect(outcome.status).toBe(p99 > thresholdMs ? 'fail' : 'pass');
        },
      ),
    );
  });

  it('warns above warnAboveMs, restarts the window and stops sampling on dispose', async () => {
    const samples = histogram([10, 150, 160]);
    const check = delayCheck(samples, { thresholdMs: 500, warnAboveMs: 100, percentile: 50 });
    expect(samples.enabled).toBe(true);
    expect(await run(check)).toMatchObject({ status: 'warn', observedValue: 150 });
    expect(await run(check)).toMatchObject({ status: 'pass', output: 'no samples yet' });
    check.dispose();
    expect(samples.enabled).toBe(false);
  });

  it('rejects thresholds and percentiles out of range', () => {
    expect(() => delayCheck(histogram([]), { thresholdMs: 0 })).toThrow(/`thresholdMs`/);
    expect(() => delayCheck(histogram([]), { thresholdMs: 5, percentile: 101 })).toThrow(
      /`percentile`/,
    );
  });
});

describe('heapCheck', () => {
  it('fails above failAbovePercent and warns above warnAbovePercent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 1_000 }), async (permille) => {
        const check = heapUsageCheck({ failAbovePercent: 90, warnAbovePercent: 70 }, () => ({
          usedBytes: permille * 1_000,
          limitBytes: 1_000_000,
        }));
        const percent = permille / 10;
        const outcome = await run(check);
        expect(outcome.observedValue).toBe(percent);
        expect(outcome.status).toBe(percent > 90 ? 'fail' : percent > 70 ? 'warn' : 'pass');
      }),
    );
  });

  it('reads the real heap and rejects inverted thresholds', async () => {
    const health = createHealth({ checks: { heap: { check: heapCheck(), groups: ['liveness'] } } });
    const report = await health.check('liveness');
    expect(report.checks.heap?.observedUnit).toBe('percent');
    expect(() => heapCheck({ failAbovePercent: 50, warnAbovePercent: 60 })).toThrow(
      /`warnAbovePercent`/,
    );
    expect(() => heapCheck({ failAbovePercent: 0 })).toThrow(/`failAbovePercent`/);
  });
});

describe('redisCheck on a cluster', () => {
  const node = (info: string) => ({
    ping: () => Promise.resolve('PONG'),
    cluster: () => Promise.resolve(info),
  });
  const cluster = (info: string) => ({
    status: 'ready',
    ping: () => Promise.resolve('PONG'),
    nodes: () => [node(info), node(info)],
  });
  const run = (client: ReturnType<typeof cluster>) =>
    redisCheck(client)({ signal: new AbortController().signal } as never);

  it('fails while the cluster misses a master, though every connected master answers', async () => {
    await expect(
      run(cluster('cluster_state:fail\r\ncluster_slots_ok:10922')),
    ).resolves.toMatchObject({
      status: 'fail',
      output: expect.stringContaining('cluster_state:fail'),
    });
  });

  it('passes when every slot is served', async () => {
    await expect(run(cluster('cluster_state:ok\r\n'))).resolves.toMatchObject({ status: 'pass' });
  });
});

describe('redisCheck on a cluster that lost a master', () => {
  const node = (port: number) => ({
    options: { host: '127.0.0.1', port },
    ping: () => Promise.resolve('PONG'),
  });
  it('fails when a slot is owned by a master the client has no connection to', async () => {
    const client = {
      status: 'ready',
      ping: () => Promise.resolve('PONG'),
      nodes: () => [node(7001), node(7002)],
      slots: [['127.0.0.1:7001'], ['127.0.0.1:7003'], ['127.0.0.1:7002']],
    };
    await expect(
      redisCheck(client)({ signal: new AbortController().signal } as never),
    ).resolves.toMatchObject({ status: 'fail', output: expect.stringContaining('127.0.0.1:7003') });
  });

  it('passes when every slot owner is connected', async () => {
    const client = {
      status: 'ready',
      ping: () => Promise.resolve('PONG'),
      nodes: () => [node(7001), node(7002)],
      slots: [['127.0.0.1:7001'], ['127.0.0.1:7002']],
    };
    await expect(
      redisCheck(client)({ signal: new AbortController().signal } as never),
    ).resolves.toMatchObject({ status: 'pass' });
  });
});
