import { Counter as PromCounter, Registry, register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { createMetrics } from './index.ts';
import { configurationErrorOf } from './test-support/errors.ts';

describe('get-or-create', () => {
  afterEach(() => {
    register.clear();
  });

  it('returns the existing metric for the same name, type and labels, in any label order', () => {
    const metrics = createMetrics();
    const first = metrics.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route', 'method'],
    });
    const again = metrics.histogram({
      name: 'latency_seconds',
      help: 'Other words.',
      labelNames: ['method', 'route'],
    });
    expect(again).toBe(first);
    expect(metrics.registry.getSingleMetric('latency_seconds')).toBe(first);
  });

  it('returns a histogram with custom buckets when buckets are not asked for, and the same when they match', () => {
    const metrics = createMetrics();
    const custom = metrics.histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [10, 100] });
    expect(metrics.histogram({ name: 'size_bytes', help: 'Sizes.' })).toBe(custom);
    expect(metrics.histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [10, 100] })).toBe(
      custom,
    );
    expect(custom.buckets).toEqual([10, 100]);
  });

  it('reports a conflicting type, label set, buckets, quantiles or collect callback as a ConfigurationError', () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] });
    metrics.histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [10, 100] });
    metrics.summary({ name: 'quantiles', help: 'Q.', percentiles: [0.5] });
    const collect = (): void => {};
    metrics.gauge({ name: 'pool_size', help: 'Pool.', collect });

    expect(
      configurationErrorOf(() =>
        metrics.gauge({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] }),
      ).message,
    ).toBe('metrics.gauge: `jobs_total` is already registered as a counter, not a gauge');
    const labels = configurationErrorOf(() =>
      metrics.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue', 'tenant'] }),
    );
    expect(labels.message).toBe(
      'metrics.counter: `jobs_total` is already registered with labelNames [queue], not [queue, tenant]',
    );
    expect(labels.issues).toEqual([
      {
        path: 'labelNames',
        message: 'with labelNames [queue], not [queue, tenant]',
        code: 'conflict',
      },
    ]);
    expect(
      configurationErrorOf(() => metrics.counter({ name: 'jobs_total', help: 'Jobs.' })).message,
    ).toMatch(/with labelNames \[queue\], not \[\]/);
    expect(
      configurationErrorOf(() =>
        metrics.histogram({ name: 'size_bytes', help: 'S.', buckets: [10, 1000] }),
      ).message,
    ).toBe(
      'metrics.histogram: `size_bytes` is already registered with buckets [10, 100], not [10, 1000]',
    );
    expect(
      configurationErrorOf(() =>
        metrics.summary({ name: 'quantiles', help: 'Q.', percentiles: [0.9] }),
      ).message,
    ).toMatch(/with percentiles \[0.5\], not \[0.9\]/);
    expect(
      configurationErrorOf(() =>
        metrics.gauge({ name: 'pool_size', help: 'Pool.', collect: () => {} }),
      ).message,
    ).toMatch(/with another collect callback/);
    expect(metrics.gauge({ name: 'pool_size', help: 'Pool.', collect })).toBe(
      metrics.gauge({ name: 'pool_size', help: 'Pool.' }),
    );
  });

  it('refuses a name registered in the registry by plain prom-client code', () => {
    const registry = new Registry();
    new PromCounter({ name: 'legacy_total', help: 'Legacy.', registers: [registry] });
    const metrics = createMetrics({ registry });
    const error = configurationErrorOf(() =>
      metrics.counter({ name: 'legacy_total', help: 'Legacy.' }),
    );
    expect(error.message).toMatch(
      /^metrics.counter: `legacy_total` is already registered in this registry by code that does not use @rampart\/metrics \(a prom-client counter\)/,
    );
  });

  it('shares metrics between instances over one registry, so a hot reload keeps its counters', () => {
    const registry = new Registry();
    const before = createMetrics({ registry });
    const requests = before.counter({ name: 'requests_total', help: 'Requests.' });
    requests.inc(5);
    const after = createMetrics({ registry });
    expect(after.counter({ name: 'requests_total', help: 'Requests.' })).toBe(requests);
  });

  it('prefixes every metric name of an instance', () => {
    const metrics = createMetrics({ prefix: 'shop_' });
    const orders = metrics.counter({ name: 'orders_total', help: 'Orders.' });
    expect(orders.name).toBe('shop_orders_total');
    expect(metrics.registry.getSingleMetric('shop_orders_total')).toBe(orders);
  });

  it('never registers in prom-client’s global registry unless given it', async () => {
    const own = createMetrics();
    own.counter({ name: 'isolated_total', help: 'Isolated.' });
    expect(register.getSingleMetric('isolated_total')).toBeUndefined();
    expect(own.registry).not.toBe(register);

    const global = createMetrics({ registry: register });
    const shared = global.counter({ name: 'shared_total', help: 'Shared.' });
    shared.inc();
    expect(register.getSingleMetric('shared_total')).toBe(shared);
    expect(await register.metrics()).toMatch(/^shared_total 1$/m);
  });

  it('names every invalid field of a metric configuration', () => {
    const metrics = createMetrics();
    const error = configurationErrorOf(() =>
      metrics.histogram({
        name: '2xx',
        help: '',
        labelNames: ['le', 'route', 'route'],
        buckets: [1, 0.5],
        maxSeries: 0,
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'name',
      'labelNames',
      'labelNames',
      'buckets',
      'help',
      'maxSeries',
    ]);
    expect(error.message).toMatch(/`labelNames` must not repeat a label name/);
    expect(error.message).toMatch(/^metrics.histogram: `name` must be a metric name/);
    expect(error.message).toMatch(/`buckets` must be strictly increasing/);
    expect(error.message).toMatch(/`help` must be a non-empty string/);
    expect(error.message).toMatch(/`maxSeries` must be a positive integer \(got 0\)/);
  });

  it('catches typos in a configuration and reserved label names', () => {
    const metrics = createMetrics();
    expect(
      configurationErrorOf(() =>
        metrics.counter({ name: 'a_total', help: 'A.', labels: ['x'] } as unknown as {
          name: string;
          help: string;
        }),
      ).message,
    ).toBe('metrics.counter: `labels` is not a known option');
    expect(
      configurationErrorOf(() => metrics.gauge({ name: 'g', help: 'G.', labelNames: ['overflow'] }))
        .message,
    ).toMatch(/`labelNames` must not use a reserved label name \(overflow\)/);
    expect(
      configurationErrorOf(() =>
        metrics.summary({ name: 's', help: 'S.', labelNames: ['quantile'] }),
      ).message,
    ).toMatch(/reserved label name \(quantile, overflow\)/);
    expect(
      configurationErrorOf(() => metrics.counter({ name: 'c', help: 'C.', labelNames: ['__name'] }))
        .message,
    ).toMatch(/must not start with __/);
    expect(
      configurationErrorOf(() => metrics.summary({ name: 's', help: 'S.', maxAgeSeconds: 60 }))
        .message,
    ).toMatch(/`maxAgeSeconds` must be given together with `ageBuckets`/);
  });
});
