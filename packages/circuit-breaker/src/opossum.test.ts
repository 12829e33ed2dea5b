import { createRequire } from 'node:module';
import {
  CircuitOpenError,
  ConfigurationError,
  isRampartError,
  TimeoutError,
  UnavailableError,
} from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CircuitCapacityError } from './errors.ts';
import { instrumentOpossum, type OpossumBreakerLike, toRampartError } from './opossum.ts';
import { captureEvents } from './test-support.ts';

/** opossum 10's breaker, as far as these tests drive it (it ships no types). */
interface Opossum extends OpossumBreakerLike {
  fire(...args: unknown[]): Promise<unknown>;
  open(): void;
  close(): void;
  shutdown(): void;
}
type OpossumClass = new (
  action: (...args: never[]) => unknown,
  options?: Record<string, unknown>,
) => Opossum;
const CircuitBreaker = createRequire(import.meta.url)('opossum') as OpossumClass;

const breakers: Opossum[] = [];
function opossum(
  action: (...args: never[]) => unknown,
  options: Record<string, unknown> = {},
): Opossum {
  const breaker = new CircuitBreaker(action, { enableSnapshots: false, ...options });
  breakers.push(breaker);
  return breaker;
}

const fail = (): Promise<never> => Promise.reject(new Error('upstream down'));
const succeed = (): Promise<string> => Promise.resolve('ok');

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  for (const breaker of breakers.splice(0)) breaker.shutdown();
  vi.useRealTimers();
});

describe('instrumentOpossum', () => {
  it('publishes state changes with Rampart reasons, failure rate and retryAfterMs', async () => {
    const capture = captureEvents();
    let healthy = false;
    const breaker = opossum(() => (healthy ? succeed() : fail()), {
      name: 'prices',
      resetTimeout: 5_000,
      volumeThreshold: 2,
      errorThresholdPercentage: 50,
    });
    const stop = instrumentOpossum(breaker);
    await breaker.fire().catch(() => undefined);
    await breaker.fire().catch(() => undefined);
    expect(breaker.opened).toBe(true);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(breaker.halfOpen).toBe(true);
    await breaker.fire().catch(() => undefined); // the trial call fails
    await vi.advanceTimersByTimeAsync(5_000);
    healthy = true;
    await breaker.fire();
    breaker.open();
    breaker.close();
    stop();
    capture.stop();
    expect(capture.state.map((event) => [event.name, event.from, event.to, event.reason])).toEqual([
      ['prices', 'closed', 'open', 'failure-threshold'],
      ['prices', 'open', 'half-open', 'reset-timeout'],
      ['prices', 'half-open', 'open', 'probe-failed'],
      ['prices', 'open', 'half-open', 'reset-timeout'],
      ['prices', 'half-open', 'closed', 'probes-succeeded'],
      ['prices', 'closed', 'open', 'failure-threshold'],
      ['prices', 'open', 'closed', 'reset'],
    ]);
    expect(capture.state[0]).toMatchObject({ failureRate: 100, retryAfterMs: 5_000 });
    expect(capture.state[1]?.retryAfterMs).toBeUndefined();
  });

  it('publishes calls: success, failure, timeout, ignored, with the trial call marked probe', async () => {
    const capture = captureEvents();
    let mode: 'ok' | 'fail' | 'hang' | 'excused' = 'ok';
    const excused = Object.assign(new Error('not found'), { status: 404 });
    const breaker = opossum(
      () => {
        if (mode === 'ok') return succeed();
        if (mode === 'fail') return fail();
        if (mode === 'excused') return Promise.reject(excused);
        return new Promise(() => undefined);
      },
      {
        name: 'calls',
        timeout: 1_000,
        resetTimeout: 2_000,
        volumeThreshold: 100,
        errorFilter: (error: { status?: number }) => error.status === 404,
      },
    );
    const stop = instrumentOpossum(breaker, { name: 'renamed' });
    await breaker.fire();
    mode = 'fail';
    await breaker.fire().catch(() => undefined);
    mode = 'excused';
    await breaker.fire().catch(() => undefined);
    mode = 'hang';
    const hung = breaker.fire().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1_000);
    await hung;
    breaker.open();
    await vi.advanceTimersByTimeAsync(2_000);
    mode = 'ok';
    await breaker.fire();
    stop();
    capture.stop();
    expect(capture.call.map((event) => [event.name, event.outcome, event.probe])).toEqual([
      ['renamed', 'success', false],
      ['renamed', 'failure', false],
      ['renamed', 'ignored', false],
      ['renamed', 'timeout', false],
      ['renamed', 'success', true],
    ]);
    expect(capture.call[1]?.error).toMatchObject({ message: 'upstream down' });
    expect(capture.call[2]?.error).toBe(excused);
    expect(capture.call[3]?.error).toBeInstanceOf(TimeoutError);
    expect(capture.call[3]?.code).toBe('E_TIMEOUT');
    expect(capture.call[3]?.durationMs).toBe(1_000);
  });

  it('publishes rejections of an open circuit and of a full semaphore, not as failures', async () => {
    const capture = captureEvents();
    const pending: Array<() => void> = [];
    const breaker = opossum(() => new Promise<void>((resolve) => pending.push(resolve)), {
      name: 'limited',
      capacity: 1,
      timeout: false,
      resetTimeout: 30_000,
    });
    const stop = instrumentOpossum(breaker);
    const first = breaker.fire();
    const refused = await breaker.fire().catch((error: unknown) => error);
    pending[0]?.();
    await first;
    await vi.advanceTimersByTimeAsync(3_000);
    breaker.open();
    await vi.advanceTimersByTimeAsync(10_000);
    const rejected = await breaker.fire().catch((error: unknown) => error);
    stop();
    capture.stop();
    expect(toRampartError(refused, breaker)).toBeInstanceOf(CircuitCapacityError);
    expect(capture.call.map((event) => event.outcome)).toEqual(['success']);
    expect(capture.rejected.map((event) => [event.reason, event.state, event.code])).toEqual([
      ['capacity', 'closed', 'E_CIRCUIT_CAPACITY'],
      ['open', 'open', 'E_CIRCUIT_OPEN'],
    ]);
    expect(capture.rejected[1]?.retryAfterMs).toBe(20_000);
    expect(capture.rejected[1]?.error).toBeInstanceOf(CircuitOpenError);
    expect(toRampartError(rejected, breaker)).toMatchObject({ retryAfterMs: 20_000 });
  });

  it('stops publishing once disposed, and disposing twice is harmless', async () => {
    const capture = captureEvents();
    const breaker = opossum(fail, { name: 'gone', volumeThreshold: 0 });
    const stop = instrumentOpossum(breaker);
    stop();
    stop();
    await breaker.fire().catch(() => undefined);
    await breaker.fire().catch(() => undefined);
    capture.stop();
    expect(capture.state).toEqual([]);
    expect(capture.call).toEqual([]);
    expect(capture.rejected).toEqual([]);
  });

  it('refuses what is not an opossum breaker and a bad name with a ConfigurationError', () => {
    for (const bad of [undefined, null, {}, { on() {} }]) {
      expect(() => instrumentOpossum(bad as never)).toThrow(ConfigurationError);
    }
    const breaker = opossum(succeed);
    expect(() => instrumentOpossum(breaker, { name: '' })).toThrow(/`name`/);
    expect(() => instrumentOpossum(breaker, { nmae: 'x' } as never)).toThrow(ConfigurationError);
  });
});

describe('toRampartError', () => {
  it('maps opossum rejections and keeps the original as cause', async () => {
    const breaker = opossum(() => new Promise(() => undefined), {
      name: 'mapped',
      timeout: 500,
      resetTimeout: 10_000,
    });
    const timedOut = breaker.fire().catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(500);
    const timeout = toRampartError(await timedOut, breaker);
    expect(timeout).toBeInstanceOf(TimeoutError);
    expect((timeout as Error).cause).toBe(await timedOut);
    const stop = instrumentOpossum(breaker);
    breaker.close();
    await vi.advanceTimersByTimeAsync(1_500);
    breaker.open();
    await vi.advanceTimersByTimeAsync(4_000);
    const open = toRampartError(await breaker.fire().catch((error: unknown) => error), breaker);
    stop();
    expect(open).toBeInstanceOf(CircuitOpenError);
    expect(open).toMatchObject({ retryAfterMs: 6_000, message: 'Circuit "mapped" is open' });
    breaker.shutdown();
    const shut = toRampartError(await breaker.fire().catch((error: unknown) => error), breaker);
    expect(shut).toBeInstanceOf(UnavailableError);
    // Without the breaker, the code still tells; retryAfterMs is then unknown.
    const bare = toRampartError(await opossumRejection());
    expect(bare).toBeInstanceOf(CircuitOpenError);
    expect((bare as CircuitOpenError).retryAfterMs).toBeUndefined();
  });

  it("returns the action's own errors unchanged, a same-coded one included", async () => {
    const socketTimeout = Object.assign(new Error('socket hang up'), { code: 'ETIMEDOUT' });
    const breaker = opossum(() => Promise.reject(socketTimeout), { volumeThreshold: 100 });
    const error = await breaker.fire().catch((caught: unknown) => caught);
    expect(error).toBe(socketTimeout);
    expect(toRampartError(error, breaker)).toBe(socketTimeout);
    for (const other of [new Error('x'), 'text', 42, undefined, null]) {
      expect(toRampartError(other, breaker)).toBe(other);
    }
    const already = new TimeoutError('ours');
    expect(toRampartError(already, breaker)).toBe(already);
    expect(isRampartError(toRampartError(new Error('plain')))).toBe(false);
  });
});

async function opossumRejection(): Promise<unknown> {
  const breaker = opossum(succeed);
  breaker.open();
  return breaker.fire().catch((error: unknown) => error);
}
