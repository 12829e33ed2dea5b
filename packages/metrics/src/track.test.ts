import { TimeoutError, ValidationError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { createMetrics, PIPELINE_DURATION_BUCKETS } from './index.ts';
import { deferred } from './test-support/deferred.ts';
import { validationErrorOf } from './test-support/errors.ts';
import { samplesOf, sampleValue } from './test-support/exposition-parser.ts';
import { manualClock } from './test-support/manual-clock.ts';
import { scrape } from './test-support/scrape.ts';

const DURATION = 'pipeline_duration_seconds';
const ACTIVE = 'pipeline_active';

describe('track', () => {
  it('returns what a synchronous function returns and records its duration', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock });
    const result = metrics.track('checkout', () => {
      clock.advance(40);
      return 'done';
    });
    expect(result).toBe('done');
    const families = await scrape(metrics);
    expect(
      sampleValue(families, DURATION, `${DURATION}_sum`, { pipeline: 'checkout', error_type: '' }),
    ).toBe(0.04);
    expect(sampleValue(families, ACTIVE, ACTIVE, { pipeline: 'checkout' })).toBe(0);
    expect(
      samplesOf(families, DURATION, `${DURATION}_bucket`, { pipeline: 'checkout' }).map(
        (sample) => sample.labels.le,
      ),
    ).toEqual([...PIPELINE_DURATION_BUCKETS.map(String), '+Inf']);
  });

  it('counts the work as active until its promise settles, and labels a rejection with its code', async () => {
    const clock = manualClock();
    const metrics = createMetrics({ clock, pipelineBuckets: [1, 10] });
    const gate = deferred<string>();
    const running = metrics.track('import', () => gate.promise);
    expect(sampleValue(await scrape(metrics), ACTIVE, ACTIVE, { pipeline: 'import' })).toBe(1);
    clock.advance(2500);
    gate.resolve('imported');
    await expect(running).resolves.toBe('imported');
    const failing = metrics.track('import', async () => {
      clock.advance(500);
      throw new TimeoutError('upstream too slow');
    });
    await expect(failing).rejects.toBeInstanceOf(TimeoutError);
    const families = await scrape(metrics);
    expect(sampleValue(families, ACTIVE, ACTIVE, { pipeline: 'import' })).toBe(0);
    expect(
      sampleValue(families, DURATION, `${DURATION}_sum`, { pipeline: 'import', error_type: '' }),
    ).toBe(2.5);
    expect(
      sampleValue(families, DURATION, `${DURATION}_count`, {
        pipeline: 'import',
        error_type: 'E_TIMEOUT',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, DURATION, `${DURATION}_bucket`, {
        pipeline: 'import',
        error_type: '',
        le: '1',
      }),
    ).toBe(0);
  });

  it('rethrows what a synchronous function throws, labelled E_INTERNAL when it is not a Rampart error', async () => {
    const metrics = createMetrics();
    expect(() =>
      metrics.track('parse', () => {
        throw new SyntaxError('bad input');
      }),
    ).toThrow(SyntaxError);
    expect(
      sampleValue(await scrape(metrics), DURATION, `${DURATION}_count`, {
        pipeline: 'parse',
        error_type: 'E_INTERNAL',
      }),
    ).toBe(1);
  });

  it('passes the caller’s signal on to the function, or one that never aborts', () => {
    const metrics = createMetrics();
    const controller = new AbortController();
    const seen = vi.fn((signal: AbortSignal) => signal);
    metrics.track('a', seen, { signal: controller.signal });
    metrics.track('a', seen);
    expect(seen.mock.results[0]?.value).toBe(controller.signal);
    const fallback = seen.mock.results[1]?.value as unknown;
    expect(fallback).toBeInstanceOf(AbortSignal);
    expect(fallback instanceof AbortSignal && fallback.aborted).toBe(false);
  });

  it('rejects a missing name, a non-function and a bad signal before running anything', () => {
    const metrics = createMetrics();
    const fn = vi.fn();
    expect(validationErrorOf(() => metrics.track('', fn)).message).toBe(
      'track: `name` must be a non-empty string (got "")',
    );
    expect(() => metrics.track('a', 'nope' as unknown as () => void)).toThrow(ValidationError);
    expect(() => metrics.track('a', fn, { signal: {} as AbortSignal })).toThrow(/options.signal/);
    expect(() => metrics.trackActive(42 as unknown as string)).toThrow(/trackActive: `name`/);
    expect(fn).not.toHaveBeenCalled();
  });
});

describe('trackActive', () => {
  it('counts the work until it ends, once, also through using', async () => {
    const metrics = createMetrics();
    const work = metrics.trackActive('sync');
    metrics.trackActive('sync');
    expect(sampleValue(await scrape(metrics), ACTIVE, ACTIVE, { pipeline: 'sync' })).toBe(2);
    work.end();
    work.end();
    {
      using _scoped = metrics.trackActive('scoped');
      expect(sampleValue(await scrape(metrics), ACTIVE, ACTIVE, { pipeline: 'scoped' })).toBe(1);
    }
    const families = await scrape(metrics);
    expect(sampleValue(families, ACTIVE, ACTIVE, { pipeline: 'sync' })).toBe(1);
    expect(sampleValue(families, ACTIVE, ACTIVE, { pipeline: 'scoped' })).toBe(0);
    expect(families.has(DURATION)).toBe(false);
  });
});
