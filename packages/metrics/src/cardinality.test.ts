import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetrics, type MetricsOverflowEvent, metricsChannels } from './index.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

const OVERFLOW = 'rampart_metrics_overflow_total';

describe('cardinality budget', () => {
  it('folds label sets beyond maxSeriesPerMetric into one overflow="true" series and counts each folded recording', async () => {
    const metrics = createMetrics({ maxSeriesPerMetric: 2 });
    const requests = metrics.counter({
      name: 'requests_total',
      help: 'Requests.',
      labelNames: ['user'],
    });
    requests.inc({ user: 'a' });
    requests.inc({ user: 'b' });
    requests.inc({ user: 'c' });
    requests.inc({ user: 'd' }, 5);
    requests.inc({ user: 'a' });
    const families = await scrape(metrics);
    expect(
      samplesOf(families, 'requests_total').map((sample) => [sample.labels, sample.value]),
    ).toEqual([
      [{ user: 'a' }, 2],
      [{ user: 'b' }, 1],
      [{ overflow: 'true' }, 6],
    ]);
    expect(sampleValue(families, OVERFLOW, OVERFLOW, { metric: 'requests_total' })).toBe(2);
    expect(requests.seriesCount).toBe(2);
    expect(requests.maxSeries).toBe(2);
  });

  it('lets a metric set its own budget, and starts every metric’s overflow count at zero', async () => {
    const metrics = createMetrics({ maxSeriesPerMetric: 1 });
    const wide = metrics.histogram({
      name: 'wide',
      help: 'W.',
      labelNames: ['k'],
      maxSeries: 3,
      buckets: [1],
    });
    for (const key of ['a', 'b', 'c']) wide.observe({ k: key }, 0.5);
    metrics.gauge({ name: 'other', help: 'O.' });
    const families = await scrape(metrics);
    expect(wide.seriesCount).toBe(3);
    expect(sampleValue(families, OVERFLOW, OVERFLOW, { metric: 'wide' })).toBe(0);
    expect(sampleValue(families, OVERFLOW, OVERFLOW, { metric: 'other' })).toBe(0);
    expect(
      sampleValue(families, 'rampart_metrics_series', 'rampart_metrics_series', { metric: 'wide' }),
    ).toBe(3);
    expect(
      sampleValue(families, 'rampart_metrics_max_series', 'rampart_metrics_max_series', {
        metric: 'wide',
      }),
    ).toBe(3);
    expect(
      sampleValue(families, 'rampart_metrics_max_series', 'rampart_metrics_max_series', {
        metric: 'other',
      }),
    ).toBe(1);
  });

  it('binds a handle beyond the budget to the overflow series, which counts every recording', async () => {
    const metrics = createMetrics({ maxSeriesPerMetric: 1 });
    const latency = metrics.histogram({
      name: 'latency',
      help: 'L.',
      labelNames: ['route'],
      buckets: [1],
    });
    latency.bind({ route: '/a' }).observe(0.1);
    const folded = latency.bind({ route: '/b' });
    folded.observe(2);
    folded.observe(3);
    const families = await scrape(metrics);
    expect(sampleValue(families, 'latency', 'latency_count', { overflow: 'true' })).toBe(2);
    expect(sampleValue(families, 'latency', 'latency_sum', { overflow: 'true' })).toBe(5);
    expect(sampleValue(families, OVERFLOW, OVERFLOW, { metric: 'latency' })).toBe(2);
  });

  it('publishes the first overflow of a metric once, with the instance name', () => {
    const events: MetricsOverflowEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as MetricsOverflowEvent);
    };
    subscribe(metricsChannels.overflow, listener);
    try {
      const metrics = createMetrics({ name: 'api', maxSeriesPerMetric: 1 });
      const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames: ['k'] });
      for (const key of ['a', 'b', 'c', 'd']) gauge.set({ k: key }, 1);
      expect(events).toEqual([{ name: 'api', metric: 'g', maxSeries: 1 }]);
    } finally {
      unsubscribe(metricsChannels.overflow, listener);
    }
  });

  it('never loses an observation: every one lands in its series or the overflow series', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        fc.array(
          fc.tuple(
            fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'),
            fc.integer({ min: 0, max: 100 }),
          ),
          {
            maxLength: 80,
          },
        ),
        async (budget, observations) => {
          const metrics = createMetrics({
            maxSeriesPerMetric: budget,
            selfMetrics: { budgetShare: 0 },
          });
          const sizes = metrics.histogram({
            name: 'sizes',
            help: 'S.',
            labelNames: ['k'],
            buckets: [10, 50],
          });
          const stored: string[] = [];
          let folded = 0;
          for (const [key, value] of observations) {
            sizes.observe({ k: key }, value);
            if (!stored.includes(key) && stored.length < budget) stored.push(key);
            if (!stored.includes(key)) folded++;
          }
          const families = await scrape(metrics);
          const counts = samplesOf(families, 'sizes', 'sizes_count');
          expect(counts.map((sample) => sample.labels.k ?? 'overflow')).toEqual([
            ...stored,
            ...(folded > 0 ? ['overflow'] : []),
          ]);
          expect(counts.reduce((total, sample) => total + sample.value, 0)).toBe(
            observations.length,
          );
          expect(sampleValue(families, OVERFLOW, OVERFLOW, { metric: 'sizes' })).toBe(folded);
          expect(sizes.seriesCount).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 60 },
    );
  });
});
