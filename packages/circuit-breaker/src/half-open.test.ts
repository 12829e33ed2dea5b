import { CircuitOpenError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { type CircuitBreakerOptions, createCircuitBreaker } from './index.ts';
import { controlledFunction, manualClock, rejectionOf } from './test-support.ts';

/** A breaker opened by one failure, whose calls the test settles by hand. */
async function openBreaker(options: Partial<CircuitBreakerOptions<[string], unknown>> = {}) {
  const clock = manualClock();
  const { fn, calls } = controlledFunction();
  const breaker = createCircuitBreaker(fn, {
    name: 'half-open',
    clock,
    volumeThreshold: 1,
    resetTimeoutMs: 1_000,
    timeoutMs: false,
    ...options,
  });
  const first = breaker.execute('trip').catch(() => undefined);
  calls[0]?.reject(new Error('down'));
  await first;
  expect(breaker.state).toBe('open');
  calls.length = 0;
  return { breaker, clock, calls };
}

describe('half-open', () => {
  it('admits one trial call by default and rejects the others at once, without queuing', async () => {
    const { breaker, clock, calls } = await openBreaker();
    clock.advance(1_000);
    const probe = breaker.execute('probe');
    const other = await rejectionOf(breaker.execute('other'));
    expect(other).toBeInstanceOf(CircuitOpenError);
    expect((other as Error).message).toContain('half-open');
    expect(calls.map((call) => call.args[0])).toEqual(['probe']);
    calls[0]?.resolve('fine');
    await expect(probe).resolves.toBe('fine');
    expect(breaker.state).toBe('closed');
  });

  it('tells a rejected caller when the busy trial slot frees at the latest', async () => {
    const { breaker, clock } = await openBreaker({ timeoutMs: 2_000 });
    clock.advance(1_000);
    const probe = breaker.execute('probe').catch(() => undefined);
    clock.advance(500);
    const rejected = await rejectionOf(breaker.execute('other'));
    expect((rejected as CircuitOpenError).retryAfterMs).toBe(1_500);
    await breaker.dispose();
    await probe;
  });

  it('admits halfOpenProbes trial calls at a time and closes after successesToClose', async () => {
    const { breaker, clock, calls } = await openBreaker({ halfOpenProbes: 2, successesToClose: 3 });
    clock.advance(1_000);
    const results = [breaker.execute('a'), breaker.execute('b')];
    await expect(breaker.execute('c')).rejects.toBeInstanceOf(CircuitOpenError);
    calls[0]?.resolve(1);
    await results[0];
    expect(breaker.state).toBe('half-open');
    results.push(breaker.execute('d')); // the freed trial slot admits another
    expect(calls).toHaveLength(3);
    calls[1]?.resolve(2);
    await results[1];
    expect(breaker.state).toBe('half-open');
    calls[2]?.resolve(3);
    await results[2];
    expect(breaker.state).toBe('closed');
  });

  it('re-opens when a trial call fails', async () => {
    const { breaker, clock, calls } = await openBreaker();
    clock.advance(1_000);
    const probe = breaker.execute('probe');
    calls[0]?.reject(new Error('still down'));
    await expect(probe).rejects.toThrow('still down');
    expect(breaker.state).toBe('open');
  });

  it('lets a trial slot go when its caller aborts, without counting the call', async () => {
    const { breaker, clock, calls } = await openBreaker();
    clock.advance(1_000);
    const controller = new AbortController();
    const probe = breaker.executeWith({ signal: controller.signal }, 'probe');
    controller.abort(new Error('caller gave up'));
    await expect(probe).rejects.toThrow('caller gave up');
    expect(breaker.state).toBe('half-open');
    const next = breaker.execute('next');
    expect(calls).toHaveLength(2);
    calls[1]?.resolve('ok');
    await next;
    expect(breaker.state).toBe('closed');
  });

  it('grows the open period on consecutive re-opens, up to the cap', async () => {
    const { breaker, clock, calls } = await openBreaker({
      resetTimeoutMs: 1_000,
      resetBackoffFactor: 2,
      maxResetTimeoutMs: 5_000,
    });
    const openPeriods: number[] = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const retryAfterMs = breaker.stats().retryAfterMs ?? 0;
      openPeriods.push(retryAfterMs);
      clock.advance(retryAfterMs);
      const probe = breaker.execute('probe').catch(() => undefined);
      calls.at(-1)?.reject(new Error('still down'));
      await probe;
    }
    expect(openPeriods).toEqual([1_000, 2_000, 4_000, 5_000]);
    expect(breaker.stats().consecutiveOpens).toBe(5);
  });

  it('starts the backoff over once the circuit closed', async () => {
    const { breaker, clock, calls } = await openBreaker({ resetTimeoutMs: 1_000 });
    clock.advance(1_000);
    const probe = breaker.execute('probe');
    calls[0]?.resolve('ok');
    await probe;
    const trip = breaker.execute('trip').catch(() => undefined);
    calls[1]?.reject(new Error('down again'));
    await trip;
    expect(breaker.stats().retryAfterMs).toBe(1_000);
  });
});

describe('manual control', () => {
  it('holds an isolated circuit open until every isolation is released', async () => {
    const clock = manualClock();
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'isolation', clock, timeoutMs: false });
    const first = breaker.isolate();
    const second = breaker.isolate();
    const rejected = await rejectionOf(breaker.execute('x'));
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    expect((rejected as CircuitOpenError).retryAfterMs).toBeUndefined();
    clock.advance(3_600_000); // isolation does not time out
    first.release();
    first.release(); // idempotent
    expect(breaker.state).toBe('isolated');
    second[Symbol.dispose]();
    expect(breaker.state).toBe('half-open');
    const probe = breaker.execute('probe');
    calls[0]?.resolve('ok');
    await probe;
    expect(breaker.state).toBe('closed');
  });

  it('reset closes the circuit at once and ends every isolation', async () => {
    const { breaker } = await openBreaker();
    const isolation = breaker.isolate();
    breaker.reset();
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ calls: 0, consecutiveOpens: 0 });
    isolation.release(); // a stale handle changes nothing
    expect(breaker.state).toBe('closed');
  });

  it('ignores trial calls that end after the circuit was reset', async () => {
    const { breaker, clock, calls } = await openBreaker();
    clock.advance(1_000);
    const probe = breaker.execute('probe').catch(() => undefined);
    breaker.reset();
    calls[0]?.reject(new Error('late failure'));
    await probe;
    expect(breaker.state).toBe('closed');
    expect(breaker.stats().failures).toBe(0);
  });
});
