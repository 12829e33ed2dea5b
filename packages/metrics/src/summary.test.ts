import { Summary as PromSummary, Registry } from 'prom-client';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from './index.ts';
import { validationErrorOf } from './test-support/errors.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { renderUserMetrics, scrape } from './test-support/scrape.ts';

describe('summary', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('reports the same quantiles, sum and count as prom-client for the same observations', async () => {
    const registry = new Registry();
    const reference = new PromSummary({
      name: 'payload_bytes',
      help: 'Payloads.',
      labelNames: ['route'],
      percentiles: [0.1, 0.5, 0.9, 0.99],
      registers: [registry],
    });
    const metrics = createMetrics();
    const payloads = metrics.summary({
      name: 'payload_bytes',
      help: 'Payloads.',
      labelNames: ['route'],
      percentiles: [0.1, 0.5, 0.9, 0.99],
    });
    let bound: ReturnType<typeof payloads.bind> | undefined;
    for (let index = 0; index < 500; index++) {
      const value = (index * 7919) % 1000;
      reference.observe({ route: index % 2 === 0 ? '/a' : '/b' }, value);
      if (index % 2 === 0) payloads.observe({ route: '/a' }, value);
      else {
        bound ??= payloads.bind({ route: '/b' });
        bound.observe(value);
      }
    }
    expect(await renderUserMetrics(metrics)).toBe(await registry.metrics());
    expect(payloads.percentiles).toEqual([0.1, 0.5, 0.9, 0.99]);
  });

  it('reports quantiles over a sliding window and prunes series whose window is empty', async () => {
    vi.useFakeTimers({ now: 0, toFake: ['Date'] });
    const metrics = createMetrics();
    const latency = metrics.summary({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route'],
      percentiles: [0.5],
      maxAgeSeconds: 60,
      ageBuckets: 2,
      pruneAgedBuckets: true,
    });
    latency.observe({ route: '/a' }, 1);
    latency.observe({ route: '/b' }, 3);
    let families = await scrape(metrics);
    expect(
      sampleValue(families, 'latency_seconds', 'latency_seconds', { route: '/a', quantile: '0.5' }),
    ).toBe(1);
    expect(latency.seriesCount).toBe(2);
    vi.setSystemTime(61_000);
    latency.observe({ route: '/b' }, 5);
    families = await scrape(metrics);
    expect(
      sampleValue(families, 'latency_seconds', 'latency_seconds', { route: '/b', quantile: '0.5' }),
    ).toBe(5);
    expect(sampleValue(families, 'latency_seconds', 'latency_seconds_count', { route: '/b' })).toBe(
      2,
    );
    expect(
      families.get('latency_seconds')?.samples.some((sample) => sample.labels.route === '/a'),
    ).toBe(false);
    expect(latency.seriesCount).toBe(1);
  });

  it('times observations and rejects values that are not finite numbers', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock });
    const durations = metrics.summary({ name: 'job_seconds', help: 'Jobs.', percentiles: [0.5] });
    const end = durations.startTimer();
    clock.advance(2000);
    end();
    expect(sampleValue(await scrape(metrics), 'job_seconds', 'job_seconds_sum')).toBe(2);
    expect(validationErrorOf(() => durations.observe(Number.NaN)).message).toBe(
      'job_seconds.observe: `value` must be a finite number (got NaN)',
    );
    expect(() => durations.bind({}).observe(Number.NEGATIVE_INFINITY)).toThrow(/finite/);
  });
});
