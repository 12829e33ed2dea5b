import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { TimeoutError } from '@rampart/errors';
import {
  AggregatorRegistry,
  Counter as PromCounter,
  Gauge as PromGauge,
  Registry,
} from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import {
  createMetrics,
  type MetricsCollectErrorEvent,
  type MetricsScrapeEvent,
  metricsChannels,
} from './index.ts';
import { renderRegistry } from './internal/render-registry.ts';
import { parseExposition, samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';
import type { ExpositionFormat } from './types.ts';

describe('render', () => {
  it('renders other prom-client metrics of the registry, without renaming OpenMetrics counters in place', async () => {
    const registry = new Registry();
    const legacy = new PromCounter({
      name: 'legacy_total',
      help: 'Legacy.',
      labelNames: ['a'],
      registers: [registry],
    });
    legacy.inc({ a: 'x' }, 2);
    new PromGauge({ name: 'nan_gauge', help: 'NaN.', registers: [registry] }).set(Number.NaN);
    const metrics = createMetrics({ registry, defaultLabels: { service: 'api' } });
    const openMetrics = await scrape(metrics, 'openmetrics');
    expect(sampleValue(openMetrics, 'legacy', 'legacy_total', { a: 'x', service: 'api' })).toBe(2);
    const prometheus = await scrape(metrics);
    expect(
      sampleValue(prometheus, 'legacy_total', 'legacy_total', { a: 'x', service: 'api' }),
    ).toBe(2);
    expect(sampleValue(prometheus, 'nan_gauge', 'nan_gauge', { service: 'api' })).toBeNaN();
    expect((legacy as unknown as { name: string }).name).toBe('legacy_total');
  });

  it('writes the default metrics prom-client collects, once per registry', async () => {
    const registry = new Registry();
    const metrics = createMetrics({
      registry,
      collectDefaultMetrics: { eventLoopMonitoringPrecision: 20 },
      prefix: 'app_',
    });
    createMetrics({ registry, collectDefaultMetrics: true, prefix: 'app_' });
    const families = await scrape(metrics);
    expect(families.get('app_process_cpu_user_seconds_total')?.type).toBe('counter');
    expect(families.get('app_nodejs_eventloop_lag_seconds')?.type).toBe('gauge');
    expect(families.has('process_cpu_user_seconds_total')).toBe(false);
  });

  it('awaits collect callbacks before writing, and goes on when one fails', async () => {
    const registry = new Registry();
    new PromGauge({
      name: 'foreign_broken',
      help: 'Broken.',
      registers: [registry],
      collect() {
        throw new Error('foreign collect failed');
      },
    });
    const metrics = createMetrics({ registry, name: 'api' });
    const events: MetricsCollectErrorEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as MetricsCollectErrorEvent);
    };
    subscribe(metricsChannels.collectError, listener);
    try {
      metrics.gauge({
        name: 'pool_size',
        help: 'Pool.',
        async collect(gauge) {
          await nextTurn();
          gauge.set(42);
        },
      });
      const failing = metrics.gauge({
        name: 'queue_depth',
        help: 'Queue.',
        collect() {
          throw new TimeoutError('queue stats timed out');
        },
      });
      failing.set(7);
      const families = await scrape(metrics);
      expect(sampleValue(families, 'pool_size')).toBe(42);
      expect(sampleValue(families, 'queue_depth')).toBe(7);
      expect(families.has('foreign_broken')).toBe(false);
      const errors = 'rampart_metrics_collect_errors_total';
      expect(sampleValue(families, errors, errors, { metric: 'queue_depth' })).toBe(1);
      expect(sampleValue(families, errors, errors, { metric: 'foreign_broken' })).toBe(1);
      // Only metrics whose callback failed get a line: a scrape stays quiet otherwise.
      expect(samplesOf(families, errors).map((sample) => sample.labels.metric)).not.toContain(
        'pool_size',
      );
      const byMetric = events
        .map(({ name, metric, code, error }) => ({ name, metric, code, error }))
        .sort((left, right) => left.metric.localeCompare(right.metric));
      expect(byMetric).toEqual([
        { name: 'api', metric: 'foreign_broken', code: undefined, error: expect.any(Error) },
        { name: 'api', metric: 'queue_depth', code: 'E_TIMEOUT', error: expect.any(TimeoutError) },
      ]);
    } finally {
      unsubscribe(metricsChannels.collectError, listener);
    }
  });

  it('gives the event loop turns while writing a large scrape', async () => {
    const metrics = createMetrics();
    const latency = metrics.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      maxSeries: 3000,
    });
    for (let index = 0; index < 3000; index++)
      latency.observe({ route: `/r${index}` }, index / 1000);
    let turns = 0;
    let rendering = true;
    const spin = async (): Promise<void> => {
      while (rendering) {
        await nextTurn();
        turns++;
      }
    };
    const spinning = spin();
    const result = await renderRegistry(metrics.registry, 'prometheus', {
      collectFailed: () => {},
      samplesPerSlice: 1000,
    });
    rendering = false;
    await spinning;
    expect(result.samples).toBeGreaterThan(3000 * 14);
    expect(turns).toBeGreaterThanOrEqual(Math.floor(result.samples / 1000) - 1);
    expect(parseExposition(result.text, 'prometheus').get('latency_seconds')?.samples).toHaveLength(
      3000 * 14,
    );
  });

  it('shares one rendering between concurrent scrapes of a format and records its duration', async () => {
    let now = 0;
    const metrics = createMetrics({ clock: { now: () => (now += 5) } });
    metrics.counter({ name: 'jobs_total', help: 'Jobs.' });
    const events: MetricsScrapeEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as MetricsScrapeEvent);
    };
    subscribe(metricsChannels.scrape, listener);
    try {
      const [first, second] = await Promise.all([metrics.render(), metrics.render()]);
      expect(second).toBe(first);
      await metrics.render('openmetrics');
      const families = await scrape(metrics);
      const count = 'rampart_metrics_render_duration_seconds_count';
      const family = 'rampart_metrics_render_duration_seconds';
      expect(sampleValue(families, family, count, { format: 'prometheus' })).toBe(1);
      expect(sampleValue(families, family, count, { format: 'openmetrics' })).toBe(1);
      expect(
        sampleValue(families, family, 'rampart_metrics_render_duration_seconds_sum', {
          format: 'prometheus',
        }),
      ).toBe(0.005);
      expect(events).toHaveLength(3);
      expect(events[0]).toMatchObject({ name: 'metrics', format: 'prometheus', durationMs: 5 });
      expect(events[0]?.samples).toBeGreaterThan(0);
      expect(events[0]?.characters).toBe(first.length);
    } finally {
      unsubscribe(metricsChannels.scrape, listener);
    }
  });

  it('lets prom-client’s cluster aggregator merge Rampart metrics from several workers', async () => {
    const workers = [createMetrics(), createMetrics()];
    for (const [index, metrics] of workers.entries()) {
      metrics
        .counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] })
        .inc({ queue: 'a' }, index + 1);
      metrics.gauge({ name: 'pool', help: 'Pool.', aggregator: 'max' }).set(10 * (index + 1));
    }
    const aggregated = AggregatorRegistry.aggregate(
      await Promise.all(workers.map((metrics) => metrics.registry.getMetricsAsJSON())),
    );
    const text = await aggregated.metrics();
    expect(text).toMatch(/^jobs_total\{queue="a"\} 3$/m);
    expect(text).toMatch(/^pool 20$/m);
  });

  it('rejects an unknown format', async () => {
    const metrics = createMetrics();
    await expect(metrics.render('json' as ExpositionFormat)).rejects.toThrow(
      "render: `format` must be 'prometheus' or 'openmetrics' (got \"json\")",
    );
  });

  it('keeps rendering when a summary prunes series mid-scrape', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    try {
      const metrics = createMetrics();
      const summary = metrics.summary({
        name: 's',
        help: 'S.',
        labelNames: ['k'],
        maxAgeSeconds: 10,
        ageBuckets: 1,
        pruneAgedBuckets: true,
      });
      summary.observe({ k: 'a' }, 1);
      vi.setSystemTime(11_000);
      const families = await scrape(metrics);
      expect(families.get('s')?.samples).toEqual([]);
      expect(summary.seriesCount).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
