import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CircuitBreakerSnapshot, createCircuitBreaker } from './index.ts';
import { manualClock, succeedOrFail } from './test-support.ts';

function breakerAt(clock: { now(): number }, initialState?: CircuitBreakerSnapshot) {
  return createCircuitBreaker(succeedOrFail, {
    name: 'persisted',
    clock,
    volumeThreshold: 4,
    resetTimeoutMs: 10_000,
    ...(initialState === undefined ? {} : { initialState }),
  });
}

describe('toJSON and initialState', () => {
  it('exports an open circuit and hydrates it with the same remaining open time and backoff', async () => {
    const clock = manualClock();
    const original = breakerAt(clock);
    for (let index = 0; index < 4; index++) await original.execute('fail').catch(() => undefined);
    clock.advance(3_000);
    const snapshot = JSON.parse(JSON.stringify(original)) as CircuitBreakerSnapshot;
    expect(snapshot).toMatchObject({ name: 'persisted', state: 'open', consecutiveOpens: 1 });
    const restored = breakerAt(clock, snapshot);
    expect(restored.state).toBe('open');
    expect(restored.stats()).toMatchObject({
      retryAfterMs: 7_000,
      consecutiveOpens: 1,
      failures: 4,
    });
    clock.advance(7_000);
    expect(restored.state).toBe('half-open');
  });

  it('round-trips the counts of the window, dropping buckets that expired meanwhile', async () => {
    const clock = manualClock(0);
    const original = createCircuitBreaker(succeedOrFail, {
      name: 'window',
      clock,
      volumeThreshold: 100,
      rollingWindowMs: 3_000,
      rollingWindowBuckets: 3,
    });
    await original.execute('fail').catch(() => undefined);
    clock.advance(1_000);
    await original.execute('ok');
    await original.execute('ok');
    const snapshot = original.toJSON();
    expect(
      snapshot.buckets.map((bucket) => [bucket.startedAt, bucket.successes, bucket.failures]),
    ).toEqual([
      [1_000, 2, 0],
      [0, 0, 1],
    ]);
    clock.advance(2_000); // the first bucket has left the window
    const restored = createCircuitBreaker(succeedOrFail, {
      name: 'window',
      clock,
      volumeThreshold: 100,
      rollingWindowMs: 3_000,
      rollingWindowBuckets: 3,
      initialState: snapshot,
    });
    expect(restored.stats()).toMatchObject({ calls: 2, successes: 2, failures: 0 });
  });

  it('restores an isolated circuit that only reset() releases', () => {
    const clock = manualClock();
    const original = breakerAt(clock);
    original.isolate();
    const restored = breakerAt(clock, original.toJSON());
    expect(restored.state).toBe('isolated');
    restored.isolate().release();
    expect(restored.state).toBe('isolated');
    restored.reset();
    expect(restored.state).toBe('closed');
  });

  it('goes half-open at once when the open period ended before hydration', async () => {
    const clock = manualClock();
    const original = breakerAt(clock);
    for (let index = 0; index < 4; index++) await original.execute('fail').catch(() => undefined);
    const snapshot = original.toJSON();
    clock.advance(60_000);
    expect(breakerAt(clock, snapshot).state).toBe('half-open');
  });

  it('rejects a malformed snapshot with a ConfigurationError naming the field', () => {
    const clock = manualClock();
    const snapshot = { ...breakerAt(clock).toJSON(), state: 'ajar' };
    expect(() => breakerAt(clock, snapshot as unknown as CircuitBreakerSnapshot)).toThrow(
      ConfigurationError,
    );
    expect(() => breakerAt(clock, snapshot as unknown as CircuitBreakerSnapshot)).toThrow(
      /`initialState\.state` must be 'closed', 'open', 'half-open' or 'isolated'/,
    );
  });

  it('keeps state, backoff and counts across any number of export/hydrate round trips', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.constant('ok' as const),
            fc.constant('fail' as const),
            fc.integer({ min: 0, max: 4_000 }),
          ),
          {
            maxLength: 30,
          },
        ),
        async (steps) => {
          const clock = manualClock();
          let breaker = breakerAt(clock);
          for (const step of steps) {
            if (typeof step === 'number') {
              clock.advance(step);
              const before = breaker.toJSON();
              breaker = breakerAt(
                clock,
                JSON.parse(JSON.stringify(before)) as CircuitBreakerSnapshot,
              );
              expect(breaker.toJSON()).toEqual(before);
            } else {
              await breaker.execute(step).catch(() => undefined);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});
