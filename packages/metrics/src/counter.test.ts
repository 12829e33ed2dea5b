import { describe, expect, it } from 'vitest';
import { createMetrics } from './index.ts';
import { validationErrorOf } from './test-support/errors.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

describe('counter', () => {
  it('starts a counter without labels at zero and adds 1 or the given amount', async () => {
    const metrics = createMetrics();
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.' });
    expect(sampleValue(await scrape(metrics), 'jobs_total')).toBe(0);
    jobs.inc();
    jobs.inc(2.5);
    jobs.bind({}).inc();
    expect(sampleValue(await scrape(metrics), 'jobs_total')).toBe(4.5);
  });

  it('adds to labelled series through labels or a bound handle', async () => {
    const metrics = createMetrics();
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] });
    const email = jobs.bind({ queue: 'email' });
    email.inc();
    email.inc(3);
    jobs.inc({ queue: 'email' });
    jobs.inc({ queue: 'sms' }, 2);
    const families = await scrape(metrics);
    expect(sampleValue(families, 'jobs_total', 'jobs_total', { queue: 'email' })).toBe(5);
    expect(sampleValue(families, 'jobs_total', 'jobs_total', { queue: 'sms' })).toBe(2);
  });

  it('refuses to go down or add something that is not a finite number', async () => {
    const metrics = createMetrics();
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['queue'] });
    expect(validationErrorOf(() => jobs.inc({ queue: 'a' }, -1)).message).toBe(
      'jobs_total.inc: `value` must be a finite number ≥ 0 (got -1)',
    );
    expect(() => jobs.inc({ queue: 'a' }, Number.NaN)).toThrow(/finite number ≥ 0/);
    expect(() => jobs.bind({ queue: 'a' }).inc(Number.POSITIVE_INFINITY)).toThrow(
      /finite number ≥ 0/,
    );
    expect(() => jobs.bind({ queue: 'a' }).inc('2' as unknown as number)).toThrow(
      /finite number ≥ 0/,
    );
    const plain = metrics.counter({ name: 'plain_total', help: 'Plain.' });
    expect(() => plain.inc(-5)).toThrow(/finite number ≥ 0/);
    expect(sampleValue(await scrape(metrics), 'jobs_total', 'jobs_total', { queue: 'a' })).toBe(0);
  });

  it('goes back to zero on reset when it has no labels, and loses its series when it has', async () => {
    const metrics = createMetrics();
    const plain = metrics.counter({ name: 'plain_total', help: 'Plain.' });
    const labelled = metrics.counter({ name: 'labelled_total', help: 'L.', labelNames: ['queue'] });
    plain.inc(3);
    labelled.inc({ queue: 'a' });
    plain.reset();
    labelled.reset();
    const families = await scrape(metrics);
    expect(sampleValue(families, 'plain_total')).toBe(0);
    expect(families.get('labelled_total')?.samples).toEqual([]);
  });

  it('renders OpenMetrics counters as a family without _total and samples with it', async () => {
    const metrics = createMetrics();
    metrics.counter({ name: 'jobs_total', help: 'Jobs.' }).inc();
    metrics.counter({ name: 'retries', help: 'Retries.' }).inc(2);
    const families = await scrape(metrics, 'openmetrics');
    expect(sampleValue(families, 'jobs', 'jobs_total')).toBe(1);
    expect(sampleValue(families, 'retries', 'retries_total')).toBe(2);
    const prometheus = await scrape(metrics);
    expect(sampleValue(prometheus, 'jobs_total')).toBe(1);
    expect(sampleValue(prometheus, 'retries')).toBe(2);
  });
});
