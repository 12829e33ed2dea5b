import fc from 'fast-check';
import {
  Counter as PromCounter,
  Gauge as PromGauge,
  Histogram as PromHistogram,
  Registry,
  type RegistryContentType,
} from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './index.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { renderUserMetrics, scrape, withoutSelfMetrics } from './test-support/scrape.ts';
import type { ExpositionFormat } from './types.ts';

const labelValue = fc.oneof(
  fc.constantFrom('GET', '/users/:id', 'a"quote', 'back\\slash', 'new\nline', '', 'ünïcødé'),
  fc.string({ maxLength: 8 }),
);

const recording = fc.record({
  labels: fc.record({ method: labelValue, route: labelValue }),
  value: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.double({ min: 0, max: 20, noNaN: true })),
});

const formats: readonly ExpositionFormat[] = ['prometheus', 'openmetrics'];

describe('exposition parity', () => {
  it('writes exactly what prom-client writes for the same recordings, in both formats', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recording, { maxLength: 30 }),
        fc.dictionary(fc.constantFrom('service', 'region'), fc.constantFrom('api', 'eu-1', 'x"y')),
        async (recordings, defaultLabels) => {
          for (const format of formats) {
            const registry = new Registry<RegistryContentType>();
            registry.setContentType(
              format === 'openmetrics'
                ? Registry.OPENMETRICS_CONTENT_TYPE
                : Registry.PROMETHEUS_CONTENT_TYPE,
            );
            registry.setDefaultLabels(defaultLabels);
            const labelNames = ['method', 'route'];
            const registers = [registry];
            const promCounter = new PromCounter({
              name: 'requests_total',
              help: 'Requests \\ served.',
              labelNames,
              registers,
            });
            const promGauge = new PromGauge({
              name: 'in_flight',
              help: 'In flight.\nNow.',
              labelNames,
              registers,
            });
            const promHistogram = new PromHistogram({
              name: 'latency_seconds',
              help: 'Latency.',
              labelNames,
              buckets: [0.1, 1, 10],
              registers,
            });
            const promPlain = new PromHistogram({
              name: 'plain',
              help: 'Plain.',
              buckets: [1],
              registers,
            });
            const metrics = createMetrics({ defaultLabels });
            const counter = metrics.counter({
              name: 'requests_total',
              help: 'Requests \\ served.',
              labelNames,
            });
            const gauge = metrics.gauge({
              name: 'in_flight',
              help: 'In flight.\nNow.',
              labelNames,
            });
            const histogram = metrics.histogram({
              name: 'latency_seconds',
              help: 'Latency.',
              labelNames,
              buckets: [0.1, 1, 10],
            });
            const plain = metrics.histogram({ name: 'plain', help: 'Plain.', buckets: [1] });
            for (const { labels, value } of recordings) {
              promCounter.inc(labels, value);
              counter.inc(labels, value);
              promGauge.set(labels, value);
              gauge.set(labels, value);
              promHistogram.observe(labels, value);
              histogram.observe(labels, value);
              promPlain.observe(value);
              plain.observe(value);
            }
            expect(await renderUserMetrics(metrics, format)).toBe(await registry.metrics());
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('agrees with prom-client’s own registry.metrics() rendering of Rampart metrics', async () => {
    const metrics = createMetrics({ defaultLabels: { service: 'api' }, maxSeriesPerMetric: 2 });
    const histogram = metrics.histogram({ name: 'h', help: 'H.', labelNames: ['k'], buckets: [1] });
    const summary = metrics.summary({
      name: 's',
      help: 'S.',
      labelNames: ['k'],
      percentiles: [0.5],
    });
    const counter = metrics.counter({ name: 'c_total', help: 'C.', labelNames: ['k'] });
    for (const key of ['a', 'b', 'c']) {
      histogram.observe({ k: key }, 2);
      summary.observe({ k: key }, 3);
      counter.inc({ k: key });
    }
    const ours = await metrics.render();
    const theirs = await metrics.registry.metrics();
    expect(withoutSelfMetrics(ours, 'prometheus')).toBe(withoutSelfMetrics(theirs, 'prometheus'));
    const json = await metrics.registry.getMetricsAsJSON();
    expect(json.find((metric) => metric.name === 'c_total')?.values).toEqual([
      { value: 1, labels: { k: 'a', service: 'api' } },
      { value: 1, labels: { k: 'b', service: 'api' } },
      { value: 1, labels: { overflow: 'true', service: 'api' } },
    ]);
  });

  it('reads back, through a Prometheus text parser, exactly what was recorded', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(recording, { maxLength: 40 }), async (recordings) => {
        const metrics = createMetrics();
        const histogram = metrics.histogram({
          name: 'latency_seconds',
          help: 'Latency.',
          labelNames: ['method', 'route'],
          buckets: [0.5, 5],
        });
        const counter = metrics.counter({
          name: 'bytes_total',
          help: 'Bytes.',
          labelNames: ['method', 'route'],
        });
        const expected = new Map<
          string,
          { labels: Record<string, string>; count: number; sum: number; under: number }
        >();
        for (const { labels, value } of recordings) {
          histogram.observe(labels, value);
          counter.inc(labels, value);
          const key = JSON.stringify([labels.method, labels.route]);
          const entry = expected.get(key) ?? { labels, count: 0, sum: 0, under: 0 };
          entry.count++;
          entry.sum += value;
          if (value <= 0.5) entry.under++;
          expected.set(key, entry);
        }
        for (const format of formats) {
          const families = await scrape(metrics, format);
          const counterFamily = format === 'openmetrics' ? 'bytes' : 'bytes_total';
          expect(samplesOf(families, 'latency_seconds', 'latency_seconds_count')).toHaveLength(
            expected.size,
          );
          for (const { labels, count, sum, under } of expected.values()) {
            expect(sampleValue(families, 'latency_seconds', 'latency_seconds_count', labels)).toBe(
              count,
            );
            expect(
              sampleValue(families, 'latency_seconds', 'latency_seconds_sum', labels),
            ).toBeCloseTo(sum, 9);
            expect(
              sampleValue(families, 'latency_seconds', 'latency_seconds_bucket', {
                ...labels,
                le: '0.5',
              }),
            ).toBe(under);
            expect(sampleValue(families, counterFamily, 'bytes_total', labels)).toBeCloseTo(sum, 9);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('survives prom-client rendering an OpenMetrics registry, which renames counters in place', async () => {
    const registry = new Registry<RegistryContentType>();
    registry.setContentType(Registry.OPENMETRICS_CONTENT_TYPE);
    const metrics = createMetrics({ registry });
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.' });
    jobs.inc(2);
    const theirs = await registry.metrics();
    expect(theirs).toMatch(/^# TYPE jobs counter\njobs_total 2$/m);
    expect(jobs.name).toBe('jobs_total');
    expect(withoutSelfMetrics(await metrics.render('openmetrics'), 'openmetrics')).toBe(
      withoutSelfMetrics(theirs, 'openmetrics'),
    );
    expect(sampleValue(await scrape(metrics), 'jobs_total')).toBe(2);
  });
});
