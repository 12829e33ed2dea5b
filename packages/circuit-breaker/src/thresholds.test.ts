import { CircuitOpenError, isRampartError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { type CircuitBreakerOptions, createCircuitBreaker } from './index.ts';
import { manualClock, rejectionOf, succeedOrFail } from './test-support.ts';

function breakerWith(options: Partial<CircuitBreakerOptions<['ok' | 'fail'], string>>) {
  const clock = manualClock();
  const breaker = createCircuitBreaker(succeedOrFail, { name: 'thresholds', clock, ...options });
  return { breaker, clock };
}

async function run(
  breaker: ReturnType<typeof breakerWith>['breaker'],
  outcomes: readonly ('ok' | 'fail')[],
): Promise<void> {
  for (const outcome of outcomes) await breaker.execute(outcome).catch(() => undefined);
}

describe('opening on failures', () => {
  it('never opens on the first failure with the default volume threshold', async () => {
    const { breaker } = breakerWith({});
    await run(breaker, ['fail']);
    expect(breaker.state).toBe('closed');
  });

  it('opens once 10 calls are in the window and half of them failed', async () => {
    const { breaker } = breakerWith({});
    await run(breaker, ['ok', 'ok', 'ok', 'ok', 'ok', 'fail', 'fail', 'fail', 'fail']);
    expect(breaker.state).toBe('closed'); // 9 calls: below the volume threshold
    await run(breaker, ['fail']);
    expect(breaker.state).toBe('open'); // 5 of 10 failed: 50 % reaches the threshold
  });

  it('stays closed while the failure rate is below the threshold', async () => {
    const { breaker } = breakerWith({ errorThresholdPercentage: 50, volumeThreshold: 4 });
    await run(breaker, ['ok', 'ok', 'ok', 'fail', 'ok', 'fail']);
    expect(breaker.stats().failureRate).toBeCloseTo(33.33, 1);
    expect(breaker.state).toBe('closed');
  });

  it('forgets calls that left the rolling window', async () => {
    const { breaker, clock } = breakerWith({
      volumeThreshold: 4,
      rollingWindowMs: 4_000,
      rollingWindowBuckets: 4,
    });
    await run(breaker, ['fail', 'fail', 'fail']);
    clock.advance(4_000); // the three failures leave the window
    await run(breaker, ['ok', 'ok', 'ok', 'fail']);
    expect(breaker.stats()).toMatchObject({ calls: 4, failures: 1 });
    expect(breaker.state).toBe('closed');
  });

  it('keeps calls of the last buckets while older ones expire one bucket at a time', async () => {
    const { breaker, clock } = breakerWith({
      volumeThreshold: 2,
      rollingWindowMs: 3_000,
      rollingWindowBuckets: 3,
    });
    await run(breaker, ['ok']); // bucket 0
    clock.advance(1_000);
    await run(breaker, ['ok']); // bucket 1
    clock.advance(1_000);
    expect(breaker.stats().calls).toBe(2);
    clock.advance(1_000); // bucket 0 leaves
    expect(breaker.stats().calls).toBe(1);
    clock.advance(1_000); // bucket 1 leaves
    expect(breaker.stats().calls).toBe(0);
  });

  it('rejects at once with E_CIRCUIT_OPEN and the time until the next trial call', async () => {
    const { breaker, clock } = breakerWith({ volumeThreshold: 2, resetTimeoutMs: 5_000 });
    await run(breaker, ['fail', 'fail']);
    clock.advance(1_200);
    const error = await rejectionOf(breaker.execute('ok'));
    expect(error).toBeInstanceOf(CircuitOpenError);
    expect(isRampartError(error, 'E_CIRCUIT_OPEN')).toBe(true);
    expect((error as CircuitOpenError).retryAfterMs).toBe(3_800);
    expect(breaker.stats()).toMatchObject({ rejected: 1, retryAfterMs: 3_800 });
  });

  it('does not call the function while open', async () => {
    const clock = manualClock();
    let calls = 0;
    const breaker = createCircuitBreaker(
      async (_signal: AbortSignal) => {
        calls++;
        throw new Error('down');
      },
      { name: 'counting', clock, volumeThreshold: 1 },
    );
    await breaker.execute().catch(() => undefined);
    await breaker.execute().catch(() => undefined);
    expect(calls).toBe(1);
  });

  it('goes half-open when the reset timeout has passed', async () => {
    const { breaker, clock } = breakerWith({ volumeThreshold: 1, resetTimeoutMs: 5_000 });
    await run(breaker, ['fail']);
    clock.advance(4_999);
    expect(breaker.state).toBe('open');
    clock.advance(1);
    expect(breaker.state).toBe('half-open');
  });

  it('counts synchronous throws and values like promises', async () => {
    const clock = manualClock();
    const breaker = createCircuitBreaker(
      (value: number, _signal: AbortSignal) => {
        if (value < 0) throw new Error('negative');
        return value * 2;
      },
      { name: 'sync', clock, volumeThreshold: 3, timeoutMs: false },
    );
    await expect(breaker.execute(2)).resolves.toBe(4);
    await expect(breaker.execute(-1)).rejects.toThrow('negative');
    await expect(breaker.execute(-1)).rejects.toThrow('negative');
    expect(breaker.stats()).toMatchObject({ successes: 1, failures: 2 });
    expect(breaker.state).toBe('open');
  });

  it('clears the window when the circuit closes again', async () => {
    const { breaker, clock } = breakerWith({ volumeThreshold: 2, resetTimeoutMs: 1_000 });
    await run(breaker, ['fail', 'fail']);
    clock.advance(1_000);
    await run(breaker, ['ok']);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ calls: 0, failures: 0, consecutiveOpens: 0 });
  });
});
