/** What `instrument()` records from a real `@rampart/failover` at work. */
import { createFailover } from '@rampart/failover';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  instrument,
  type Metrics,
  instrumentMetricNames as names,
} from './index.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

let metrics: Metrics;
let stop: () => void;

beforeEach(() => {
  metrics = createMetrics();
  stop = instrument(metrics, { packages: ['failover'] });
});

afterEach(() => {
  stop();
});

describe('instrument: failover', () => {
  it('counts provider calls by provider and outcome, their durations and skipped providers', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failover = createFailover({
      name: 'llm',
      breaker: { volumeThreshold: 2, resetTimeoutMs: 60_000, timeoutMs: false },
      providers: [
        {
          name: 'primary',
          call: async (_prompt: string): Promise<string> => Promise.reject(refused),
        },
        { name: 'fallback', call: async (prompt: string) => `fallback: ${prompt}` },
      ],
      lastResort: () => 'cached',
    });
    for (let index = 0; index < 5; index++) await failover.execute(`prompt ${index}`);
    await failover.dispose();
    const families = await scrape(metrics);
    const attempts = (provider: string, outcome: string): number =>
      sampleValue(families, names.failoverAttempts, names.failoverAttempts, {
        name: 'llm',
        provider,
        outcome,
      });
    expect(attempts('primary', 'failure')).toBe(2);
    expect(attempts('fallback', 'success')).toBe(5);
    expect(
      sampleValue(families, names.failoverSkipped, names.failoverSkipped, {
        name: 'llm',
        provider: 'primary',
        reason: 'open',
      }),
    ).toBe(3);
    expect(
      sampleValue(
        families,
        names.failoverAttemptDuration,
        `${names.failoverAttemptDuration}_count`,
        { name: 'llm', provider: 'fallback', outcome: 'success' },
      ),
    ).toBe(5);
  });
});
