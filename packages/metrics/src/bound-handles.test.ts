import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './index.ts';
import type { Metrics } from './metrics.ts';
import { renderUserMetrics } from './test-support/scrape.ts';

type Labels = { readonly route: string; readonly method: string };

interface Recorder {
  observe(labels: Labels, value: number): void;
  inc(labels: Labels, value: number): void;
  set(labels: Labels, value: number): void;
  summary(labels: Labels, value: number): void;
}

function labelledRecorder(metrics: Metrics): Recorder {
  const labelNames = ['route', 'method'] as const;
  const histogram = metrics.histogram({ name: 'h', help: 'H.', labelNames, buckets: [1, 10] });
  const counter = metrics.counter({ name: 'c_total', help: 'C.', labelNames });
  const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames });
  const summary = metrics.summary({ name: 's', help: 'S.', labelNames, percentiles: [0.5, 0.9] });
  return {
    observe: (labels, value) => histogram.observe(labels, value),
    inc: (labels, value) => counter.inc(labels, value),
    set: (labels, value) => gauge.set(labels, value),
    summary: (labels, value) => summary.observe(labels, value),
  };
}

function boundRecorder(metrics: Metrics): Recorder {
  const labelNames = ['route', 'method'] as const;
  const histogram = metrics.histogram({ name: 'h', help: 'H.', labelNames, buckets: [1, 10] });
  const counter = metrics.counter({ name: 'c_total', help: 'C.', labelNames });
  const gauge = metrics.gauge({ name: 'g', help: 'G.', labelNames });
  const summary = metrics.summary({ name: 's', help: 'S.', labelNames, percentiles: [0.5, 0.9] });
  const handles = new Map<string, unknown>();
  const handle = <Handle>(
    kind: string,
    labels: Labels,
    bind: (labels: Labels) => Handle,
  ): Handle => {
    const key = `${kind}|${labels.route}|${labels.method}`;
    let found = handles.get(key) as Handle | undefined;
    if (found === undefined) {
      found = bind(labels);
      handles.set(key, found);
    }
    return found;
  };
  return {
    observe: (labels, value) => handle('h', labels, (l) => histogram.bind(l)).observe(value),
    inc: (labels, value) => handle('c', labels, (l) => counter.bind(l)).inc(value),
    set: (labels, value) => handle('g', labels, (l) => gauge.bind(l)).set(value),
    summary: (labels, value) => handle('s', labels, (l) => summary.bind(l)).observe(value),
  };
}

const operation = fc.record({
  kind: fc.constantFrom('observe', 'inc', 'set', 'summary') as fc.Arbitrary<keyof Recorder>,
  labels: fc.record({
    route: fc.constantFrom('/a', '/b', '/c"\\\n', ''),
    method: fc.constantFrom('GET', 'POST'),
  }),
  value: fc.double({ min: 0, max: 100, noNaN: true }),
});

describe('bound handles', () => {
  it('produce the same scrape as the labelled calls, budget and overflow included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 9 }),
        fc.array(operation, { maxLength: 60 }),
        async (budget, operations) => {
          const labelled = createMetrics({ maxSeriesPerMetric: budget });
          const bound = createMetrics({
            maxSeriesPerMetric: budget,
            selfMetrics: { budgetShare: 0 },
          });
          const viaLabels = labelledRecorder(labelled);
          const viaHandles = boundRecorder(bound);
          for (const { kind, labels, value } of operations) {
            viaLabels[kind](labels, value);
            viaHandles[kind](labels, value);
          }
          for (const format of ['prometheus', 'openmetrics'] as const) {
            expect(await renderUserMetrics(bound, format)).toBe(
              await renderUserMetrics(labelled, format),
            );
          }
          expect(await bound.render()).toMatch(/rampart_metrics_overflow_total\{metric="h"\}/);
        },
      ),
      { numRuns: 50 },
    );
  });
});
