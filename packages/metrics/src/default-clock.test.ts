import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMetrics } from './index.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

const DURATION = 'pipeline_duration_seconds';

afterEach(() => {
  vi.useRealTimers();
});

describe('the default clock', () => {
  it('is the shared systemClock: fake timers installed after creation time the work', async () => {
    const metrics = createMetrics();
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout'] });
    await metrics.track('export', async () => {
      await vi.advanceTimersByTimeAsync(250);
    });
    vi.useRealTimers();
    const families = await scrape(metrics);
    expect(
      sampleValue(families, DURATION, `${DURATION}_sum`, { pipeline: 'export', error_type: '' }),
    ).toBe(0.25);
  });
});
