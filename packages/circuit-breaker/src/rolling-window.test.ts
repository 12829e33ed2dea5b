import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COUNTER, type Counter, RollingWindow } from './internal/rolling-window.ts';

type Step =
  | { readonly advanceMs: number }
  | { readonly counter: Counter; readonly latencyMs: number };

const counters = Object.values(COUNTER);

describe('RollingWindow', () => {
  it('counts exactly the events of the last `buckets` time slices, whatever the sequence', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 500 }),
        fc.array(
          fc.oneof(
            fc.record({ advanceMs: fc.integer({ min: 0, max: 2_000 }) }),
            fc.record({
              counter: fc.constantFrom(...counters),
              latencyMs: fc.integer({ min: -1, max: 20_000 }),
            }),
          ),
          { maxLength: 200 },
        ),
        (buckets, bucketMs, steps: readonly Step[]) => {
          let now = 123_456;
          const window = new RollingWindow(
            { bucketMs: bucketMs, rollingWindowBuckets: buckets },
            now,
          );
          const events: { slice: number; counter: Counter }[] = [];
          for (const step of steps) {
            if ('advanceMs' in step) {
              now += step.advanceMs;
              window.advance(now);
            } else {
              window.record(step.counter, step.latencyMs);
              events.push({ slice: Math.floor(now / bucketMs), counter: step.counter });
            }
          }
          const slice = Math.floor(now / bucketMs);
          const inWindow = events.filter((event) => event.slice > slice - buckets);
          const expected = counters.map(
            (counter) => inWindow.filter((event) => event.counter === counter).length,
          );
          expect(window.totals().counts).toEqual(expected);
          const count = (counter: Counter): number => expected[counter] ?? 0;
          const healthy = count(COUNTER.successes) + count(COUNTER.ignored);
          const unhealthy =
            count(COUNTER.failures) + count(COUNTER.timeouts) + count(COUNTER.slowCalls);
          expect([window.healthy, window.unhealthy]).toEqual([healthy, unhealthy]);
        },
      ),
    );
  });

  it('exports and imports its counts', () => {
    const window = new RollingWindow({ bucketMs: 1_000, rollingWindowBuckets: 5 }, 0);
    window.record(COUNTER.successes, 5);
    window.advance(2_500);
    window.record(COUNTER.failures, 7);
    const copy = new RollingWindow({ bucketMs: 1_000, rollingWindowBuckets: 5 }, 2_500);
    copy.import(window.export(), 1_000);
    expect(copy.totals().counts).toEqual(window.totals().counts);
    const other = new RollingWindow({ bucketMs: 500, rollingWindowBuckets: 5 }, 2_500);
    other.import(window.export(), 1_000); // another bucket length cannot be mapped
    expect(other.healthy + other.unhealthy).toBe(0);
  });
});
