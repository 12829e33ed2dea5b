import { describe, expect, it } from 'vitest';
import { createMetrics } from './index.ts';
import { validationErrorOf } from './test-support/errors.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { scrape } from './test-support/scrape.ts';

describe('histogram', () => {
  it('counts a value equal to a bound in that bound’s bucket, and sums every value', async () => {
    const metrics = createMetrics();
    const sizes = metrics.histogram({ name: 'size_bytes', help: 'Sizes.', buckets: [10, 100] });
    for (const value of [10, 10.5, 100, 1000, -3]) sizes.observe(value);
    const families = await scrape(metrics);
    const bucket = (le: string): number =>
      sampleValue(families, 'size_bytes', 'size_bytes_bucket', { le });
    expect([bucket('10'), bucket('100'), bucket('+Inf')]).toEqual([2, 4, 5]);
    expect(sampleValue(families, 'size_bytes', 'size_bytes_sum')).toBe(1117.5);
    expect(sampleValue(families, 'size_bytes', 'size_bytes_count')).toBe(5);
  });

  it('uses prom-client’s default buckets unless given others', () => {
    const metrics = createMetrics();
    expect(metrics.histogram({ name: 'h', help: 'H.' }).buckets).toEqual([
      0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]);
  });

  it('observes labelled series and bound handles into the same series', async () => {
    const metrics = createMetrics();
    const latency = metrics.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route', 'method'],
      buckets: [0.1, 1],
    });
    const bound = latency.bind({ route: '/a', method: 'GET' });
    latency.observe({ method: 'GET', route: '/a' }, 0.05);
    bound.observe(0.5);
    latency.observe({ route: '/b', method: 'POST' }, 2);
    const families = await scrape(metrics);
    const labels = { route: '/a', method: 'GET' };
    expect(sampleValue(families, 'latency_seconds', 'latency_seconds_count', labels)).toBe(2);
    expect(
      sampleValue(families, 'latency_seconds', 'latency_seconds_bucket', { ...labels, le: '0.1' }),
    ).toBe(1);
    expect(latency.seriesCount).toBe(2);
  });

  it('times with the injected clock and merges labels known only at the end', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock });
    const latency = metrics.histogram({
      name: 'latency_seconds',
      help: 'Latency.',
      labelNames: ['route', 'status'],
      buckets: [0.1, 1],
    });
    const end = latency.startTimer({ route: '/a' });
    clock.advance(250);
    expect(end({ status: 200 })).toBe(0.25);
    const bound = latency.bind({ route: '/b', status: 500 }).startTimer();
    clock.advance(1500);
    expect(bound()).toBe(1.5);
    const families = await scrape(metrics);
    expect(
      sampleValue(families, 'latency_seconds', 'latency_seconds_sum', {
        route: '/a',
        status: '200',
      }),
    ).toBe(0.25);
    expect(
      sampleValue(families, 'latency_seconds', 'latency_seconds_sum', {
        route: '/b',
        status: '500',
      }),
    ).toBe(1.5);
  });

  it('rejects values that are not finite numbers and wrong labels, recording nothing', async () => {
    const metrics = createMetrics();
    const plain = metrics.histogram({ name: 'plain', help: 'P.' });
    const labelled = metrics.histogram({ name: 'labelled', help: 'L.', labelNames: ['route'] });
    expect(validationErrorOf(() => plain.observe(Number.NaN)).message).toBe(
      'plain.observe: `value` must be a finite number (got NaN)',
    );
    expect(() => plain.observe(Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => plain.observe('1' as unknown as number)).toThrow(/finite/);
    expect(() => labelled.observe({ route: '/a' }, Number.NaN)).toThrow(/finite/);
    expect(() => labelled.bind({ route: '/a' }).observe(Number.NaN)).toThrow(/finite/);
    expect(() => labelled.observe({ path: '/a' } as unknown as { route: string }, 1)).toThrow(
      /`labels.route` must be a string or a number/,
    );
    const families = await scrape(metrics);
    expect(sampleValue(families, 'plain', 'plain_count')).toBe(0);
    expect(sampleValue(families, 'labelled', 'labelled_count', { route: '/a' })).toBe(0);
  });

  it('keeps bound handles working after their series is removed or the metric reset', async () => {
    const metrics = createMetrics();
    const latency = metrics.histogram({
      name: 'l',
      help: 'L.',
      labelNames: ['route'],
      buckets: [1],
    });
    const bound = latency.bind({ route: '/a' });
    bound.observe(0.5);
    latency.remove({ route: '/a' });
    expect(latency.seriesCount).toBe(0);
    expect((await scrape(metrics)).get('l')?.samples).toEqual([]);
    bound.observe(0.25);
    latency.reset();
    bound.observe(2);
    const families = await scrape(metrics);
    expect(sampleValue(families, 'l', 'l_count', { route: '/a' })).toBe(1);
    expect(sampleValue(families, 'l', 'l_sum', { route: '/a' })).toBe(2);
  });
});
