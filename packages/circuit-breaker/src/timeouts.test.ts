import { isRampartError, TimeoutError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitCapacityError, createCircuitBreaker } from './index.ts';
import { controlledFunction, rejectionOf } from './test-support.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('timeouts', () => {
  it('rejects with E_TIMEOUT after timeoutMs and aborts that call’s own signal', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'slow-dependency', timeoutMs: 2_000 });
    const result = rejectionOf(breaker.execute('a'));
    await vi.advanceTimersByTimeAsync(1_999);
    expect(calls[0]?.signal.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(isRampartError(error, 'E_TIMEOUT')).toBe(true);
    expect(calls[0]?.signal.aborted).toBe(true);
    expect(calls[0]?.signal.reason).toBe(error);
    expect(breaker.stats()).toMatchObject({ timeouts: 1, calls: 1 });
  });

  it('never aborts the signal of other or later calls', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'per-call', timeoutMs: 1_000 });
    const timedOut = breaker.execute('first').catch(() => undefined);
    await vi.advanceTimersByTimeAsync(500);
    const concurrent = breaker.execute('second');
    await vi.advanceTimersByTimeAsync(500);
    await timedOut;
    const later = breaker.execute('third');
    expect(calls.map((call) => call.signal.aborted)).toEqual([true, false, false]);
    calls[1]?.resolve('two');
    calls[2]?.resolve('three');
    await expect(concurrent).resolves.toBe('two');
    await expect(later).resolves.toBe('three');
  });

  it('ignores a result that arrives after the timeout', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'late', timeoutMs: 1_000 });
    const result = rejectionOf(breaker.execute('a'));
    await vi.advanceTimersByTimeAsync(1_000);
    calls[0]?.resolve('too late');
    expect(await result).toBeInstanceOf(TimeoutError);
    expect(breaker.stats()).toMatchObject({ successes: 0, timeouts: 1 });
  });

  it('leaves no timer behind once a call settles', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'no-leak', timeoutMs: 5_000 });
    const result = breaker.execute('a');
    expect(vi.getTimerCount()).toBe(1);
    calls[0]?.resolve('ok');
    await result;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('never times out with timeoutMs: false', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'patient', timeoutMs: false });
    const result = breaker.execute('a');
    await vi.advanceTimersByTimeAsync(3_600_000);
    expect(vi.getTimerCount()).toBe(0);
    calls[0]?.resolve('finally');
    await expect(result).resolves.toBe('finally');
  });
});

describe('slow calls', () => {
  it('counts calls slower than slowCallMs as failures but still returns their result', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, {
      name: 'sluggish',
      slowCallMs: 500,
      volumeThreshold: 2,
    });
    const fast = breaker.execute('fast');
    calls[0]?.resolve('quick');
    await expect(fast).resolves.toBe('quick');
    const slow = breaker.execute('slow');
    await vi.advanceTimersByTimeAsync(501);
    calls[1]?.resolve('eventually');
    await expect(slow).resolves.toBe('eventually');
    expect(breaker.stats()).toMatchObject({ successes: 1, slowCalls: 1, failureRate: 50 });
    expect(breaker.state).toBe('open');
  });

  it('does not count a call of exactly slowCallMs as slow', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'edge', slowCallMs: 500 });
    const call = breaker.execute('a');
    await vi.advanceTimersByTimeAsync(500);
    calls[0]?.resolve('ok');
    await call;
    expect(breaker.stats()).toMatchObject({ successes: 1, slowCalls: 0 });
  });
});

describe('capacity', () => {
  it('rejects calls beyond capacity at once with E_CIRCUIT_CAPACITY, not counted as failures', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'bounded', capacity: 2, volumeThreshold: 1 });
    const running = [breaker.execute('a'), breaker.execute('b')];
    const error = await rejectionOf(breaker.execute('c'));
    expect(error).toBeInstanceOf(CircuitCapacityError);
    expect(isRampartError(error, 'E_CIRCUIT_CAPACITY')).toBe(true);
    expect(error).toMatchObject({ status: 503, retryable: true });
    expect(calls).toHaveLength(2);
    expect(breaker.state).toBe('closed');
    expect(breaker.stats()).toMatchObject({ capacityRejected: 1, failures: 0, inFlight: 2 });
    calls[0]?.resolve(1);
    calls[1]?.resolve(2);
    await Promise.all(running);
    expect(breaker.stats().inFlight).toBe(0);
  });

  it('holds the slot of a timed-out call until its function really ends', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'held', capacity: 1, timeoutMs: 1_000 });
    const first = breaker.execute('a').catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await first).toBeInstanceOf(TimeoutError);
    expect(breaker.stats().inFlight).toBe(1);
    await expect(breaker.execute('b')).rejects.toBeInstanceOf(CircuitCapacityError);
    calls[0]?.reject(calls[0].signal.reason); // the function honours its signal, later
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.stats().inFlight).toBe(0);
    const second = breaker.execute('c');
    calls[1]?.resolve('ok');
    await expect(second).resolves.toBe('ok');
  });

  it('holds the slot of an aborted call until its function really ends', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'abort-held', capacity: 1 });
    const controller = new AbortController();
    const call = breaker.executeWith({ signal: controller.signal }, 'a').catch(() => undefined);
    controller.abort();
    await call;
    expect(breaker.stats().inFlight).toBe(1);
    calls[0]?.resolve('ignored');
    await vi.advanceTimersByTimeAsync(0);
    expect(breaker.stats().inFlight).toBe(0);
  });
});

describe('caller cancellation', () => {
  it('rejects at once with the reason and aborts the function’s signal, without counting a failure', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'cancellable', volumeThreshold: 1 });
    const controller = new AbortController();
    const reason = new Error('client went away');
    const result = rejectionOf(breaker.executeWith({ signal: controller.signal }, 'a'));
    controller.abort(reason);
    expect(await result).toBe(reason);
    expect(calls[0]?.signal.reason).toBe(reason);
    expect(breaker.stats()).toMatchObject({ aborted: 1, failures: 0, calls: 0 });
    expect(breaker.state).toBe('closed');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does not call the function when the signal is already aborted', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'pre-aborted' });
    const reason = new Error('already gone');
    await expect(breaker.executeWith({ signal: AbortSignal.abort(reason) }, 'a')).rejects.toBe(
      reason,
    );
    expect(calls).toHaveLength(0);
  });

  it('passes the caller signal through untouched when the call completes', async () => {
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'completed', timeoutMs: false });
    const controller = new AbortController();
    const result = breaker.executeWith({ signal: controller.signal }, 'a');
    calls[0]?.resolve('done');
    await expect(result).resolves.toBe('done');
    controller.abort(); // after completion: nothing happens
    expect(calls[0]?.signal.aborted).toBe(false);
    expect(breaker.stats()).toMatchObject({ successes: 1, aborted: 0 });
  });

  it('rejects malformed per-call options with E_VALIDATION', async () => {
    const breaker = createCircuitBreaker(async (_signal: AbortSignal) => 1, { name: 'strict' });
    const bad = { signal: 'not a signal' } as unknown as { signal: AbortSignal };
    await expect(breaker.executeWith(bad)).rejects.toMatchObject({ code: 'E_VALIDATION' });
    await expect(breaker.executeWith(null as unknown as object)).rejects.toMatchObject({
      code: 'E_VALIDATION',
    });
  });
});
