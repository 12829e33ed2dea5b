import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetrics, type MetricsOptions } from './index.ts';
import { samplesOf } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

const PER_METRIC = [
  'rampart_metrics_overflow_total',
  'rampart_metrics_series',
  'rampart_metrics_max_series',
  'rampart_metrics_collect_errors_total',
];

/** The metrics named in per-metric self-metric samples, by self-metric. */
async function selfLines(metrics: ReturnType<typeof createMetrics>) {
  const families = await scrape(metrics);
  return Object.fromEntries(
    PER_METRIC.map((name) => [
      name,
      samplesOf(families, name).map((sample) => sample.labels.metric),
    ]),
  ) as Record<string, (string | undefined)[]>;
}

/** Many metrics, as an instrumented service registers before any traffic. */
function manyMetrics(options: MetricsOptions, count: number) {
  const metrics = createMetrics(options);
  for (let index = 0; index < count; index++) {
    metrics.counter({ name: `m${index}_total`, help: 'M.', labelNames: ['k'] });
    metrics.gauge({ name: `g${index}`, help: 'G.', collect: () => {} });
  }
  return metrics;
}

describe('self-metrics stay quiet', () => {
  it('write no per-metric line before any traffic, however many metrics', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), async (count) => {
        const lines = await selfLines(manyMetrics({}, count));
        for (const name of PER_METRIC) expect(lines[name]).toEqual([]);
      }),
      { numRuns: 10 },
    );
  });

  it('write a metric’s lines once it holds budgetShare of its budget, not before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 0, max: 25 }),
        fc.constantFrom(0, 0.25, 0.5, 0.9, 1),
        async (budget, labelSets, share) => {
          const metrics = createMetrics({
            maxSeriesPerMetric: budget,
            selfMetrics: { budgetShare: share },
          });
          const wide = metrics.counter({ name: 'wide_total', help: 'W.', labelNames: ['k'] });
          for (let index = 0; index < labelSets; index++) wide.inc({ k: `v${index}` });
          const held = Math.min(labelSets, budget);
          const lines = await selfLines(metrics);
          const expected = held >= share * budget ? ['wide_total'] : [];
          expect(lines.rampart_metrics_series).toEqual(expected);
          expect(lines.rampart_metrics_max_series).toEqual(expected);
          // The overflow count is there once watched, or once anything was folded.
          const folded = labelSets > budget;
          expect(lines.rampart_metrics_overflow_total).toEqual(
            expected.length > 0 || folded ? ['wide_total'] : [],
          );
        },
      ),
      { numRuns: 80 },
    );
  });

  it('count a collect failure from the first one, and only for that metric', async () => {
    const metrics = manyMetrics({}, 3);
    metrics.gauge({
      name: 'broken',
      help: 'B.',
      collect() {
        throw new Error('pool gone');
      },
    });
    const lines = await selfLines(metrics);
    expect(lines.rampart_metrics_collect_errors_total).toEqual(['broken']);
  });

  it('write no rampart_metrics_* line at all with selfMetrics: false', async () => {
    const metrics = manyMetrics({ selfMetrics: false, maxSeriesPerMetric: 1 }, 5);
    const folded = metrics.counter({ name: 'folded_total', help: 'F.', labelNames: ['k'] });
    folded.inc({ k: 'a' });
    folded.inc({ k: 'b' });
    await metrics.render();
    const text = await metrics.render();
    expect(text).not.toContain('rampart_metrics_');
    expect(text).toContain('folded_total{overflow="true"} 1');
  });

  it('reject a budgetShare outside 0..1, naming it', () => {
    for (const budgetShare of [-0.1, 1.5, Number.NaN]) {
      expect(() => createMetrics({ selfMetrics: { budgetShare } })).toThrow(ConfigurationError);
      expect(() => createMetrics({ selfMetrics: { budgetShare } })).toThrow(
        /selfMetrics\.budgetShare/,
      );
    }
    expect(() => createMetrics({ selfMetrics: 'yes' as never })).toThrow(/selfMetrics/);
  });
});
