import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from './index.ts';
import { validationErrorOf } from './test-support/errors.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { scrape } from './test-support/scrape.ts';

describe('gauge', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sets, increments and decrements, labelled or not, through labels or bound handles', async () => {
    const metrics = createMetrics();
    const size = metrics.gauge({ name: 'queue_size', help: 'Queue.' });
    size.set(10);
    size.inc();
    size.dec(4);
    const pools = metrics.gauge({ name: 'pool_used', help: 'Pool.', labelNames: ['pool'] });
    const primary = pools.bind({ pool: 'primary' });
    primary.set(3);
    primary.inc(2);
    primary.dec();
    pools.inc({ pool: 'primary' }, 10);
    pools.dec({ pool: 'replica' });
    pools.set({ pool: 'cache' }, Number.NaN);
    const families = await scrape(metrics);
    expect(sampleValue(families, 'queue_size')).toBe(7);
    expect(sampleValue(families, 'pool_used', 'pool_used', { pool: 'primary' })).toBe(14);
    expect(sampleValue(families, 'pool_used', 'pool_used', { pool: 'replica' })).toBe(-1);
    expect(sampleValue(families, 'pool_used', 'pool_used', { pool: 'cache' })).toBeNaN();
  });

  it('sets the current Unix time in seconds', async () => {
    vi.useFakeTimers({ now: new Date('2030-01-01T00:00:00Z'), toFake: ['Date'] });
    const metrics = createMetrics();
    const last = metrics.gauge({ name: 'last_run', help: 'Last run.', labelNames: ['job'] });
    last.setToCurrentTime({ job: 'a' });
    last.bind({ job: 'b' }).setToCurrentTime();
    const families = await scrape(metrics);
    expect(sampleValue(families, 'last_run', 'last_run', { job: 'a' })).toBe(1_893_456_000);
    expect(sampleValue(families, 'last_run', 'last_run', { job: 'b' })).toBe(1_893_456_000);
  });

  it('sets the seconds elapsed from a timer', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock });
    const lastDuration = metrics.gauge({
      name: 'last_duration',
      help: 'D.',
      labelNames: ['job', 'result'],
    });
    const end = lastDuration.startTimer({ job: 'a' });
    const boundEnd = lastDuration.bind({ job: 'b', result: 'ok' }).startTimer();
    clock.advance(1200);
    end({ result: 'ok' });
    boundEnd();
    const families = await scrape(metrics);
    expect(
      sampleValue(families, 'last_duration', 'last_duration', { job: 'a', result: 'ok' }),
    ).toBe(1.2);
    expect(
      sampleValue(families, 'last_duration', 'last_duration', { job: 'b', result: 'ok' }),
    ).toBe(1.2);
  });

  it('rejects values that are not numbers', () => {
    const metrics = createMetrics();
    const size = metrics.gauge({ name: 'queue_size', help: 'Queue.' });
    expect(validationErrorOf(() => size.set('3' as unknown as number)).message).toBe(
      'queue_size.set: `value` must be a number (got "3")',
    );
    expect(() => size.inc('1' as unknown as number)).toThrow(/queue_size.inc/);
    expect(() => size.bind({}).dec('1' as unknown as number)).toThrow(/queue_size.dec/);
  });
});
