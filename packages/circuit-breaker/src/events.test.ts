import { channel } from 'node:diagnostics_channel';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { circuitBreakerChannels, createCircuitBreaker } from './index.ts';
import { captureEvents, controlledFunction, manualClock, succeedOrFail } from './test-support.ts';

let capture: ReturnType<typeof captureEvents> | undefined;

afterEach(() => {
  capture?.stop();
  capture = undefined;
});

describe('events', () => {
  it('names its channels rampart:circuit-breaker:<event>', () => {
    expect(circuitBreakerChannels).toEqual({
      state: 'rampart:circuit-breaker:state',
      call: 'rampart:circuit-breaker:call',
      rejected: 'rampart:circuit-breaker:rejected',
    });
  });

  it('publishes each call with its outcome and duration, and state changes with their reason', async () => {
    capture = captureEvents();
    const clock = manualClock();
    const breaker = createCircuitBreaker(succeedOrFail, {
      name: 'observed',
      clock,
      volumeThreshold: 2,
      resetTimeoutMs: 1_000,
    });
    await breaker.execute('ok');
    await breaker.execute('fail').catch(() => undefined);
    expect(capture.call).toEqual([
      {
        name: 'observed',
        outcome: 'success',
        durationMs: 0,
        probe: false,
        error: undefined,
        code: undefined,
      },
      {
        name: 'observed',
        outcome: 'failure',
        durationMs: 0,
        probe: false,
        error: expect.any(Error),
        code: undefined,
      },
    ]);
    expect(capture.state).toEqual([
      {
        name: 'observed',
        from: 'closed',
        to: 'open',
        reason: 'failure-threshold',
        failureRate: 50,
        retryAfterMs: 1_000,
      },
    ]);
    await breaker.execute('ok').catch(() => undefined);
    expect(capture.rejected).toEqual([
      {
        name: 'observed',
        reason: 'open',
        state: 'open',
        retryAfterMs: 1_000,
        error: expect.objectContaining({ code: 'E_CIRCUIT_OPEN' }),
        code: 'E_CIRCUIT_OPEN',
      },
    ]);
    clock.advance(1_000);
    await breaker.execute('ok');
    expect(capture.state.map((event) => [event.from, event.to, event.reason])).toEqual([
      ['closed', 'open', 'failure-threshold'],
      ['open', 'half-open', 'reset-timeout'],
      ['half-open', 'closed', 'probes-succeeded'],
    ]);
    expect(capture.call.at(-1)).toMatchObject({ outcome: 'success', probe: true });
  });

  it('publishes the Rampart code of a timeout and of a capacity rejection', async () => {
    capture = captureEvents();
    const { fn, calls } = controlledFunction();
    const breaker = createCircuitBreaker(fn, { name: 'codes', capacity: 1, timeoutMs: false });
    const running = breaker.execute('a');
    await breaker.execute('b').catch(() => undefined);
    expect(capture.rejected[0]).toMatchObject({ reason: 'capacity', code: 'E_CIRCUIT_CAPACITY' });
    calls[0]?.resolve('ok');
    await running;
  });

  it('publishes isolation, release and reset', async () => {
    capture = captureEvents();
    const breaker = createCircuitBreaker(succeedOrFail, { name: 'manual', clock: manualClock() });
    breaker.isolate().release();
    breaker.reset();
    expect(capture.state.map((event) => [event.from, event.to, event.reason])).toEqual([
      ['closed', 'isolated', 'isolated'],
      ['isolated', 'half-open', 'released'],
      ['half-open', 'closed', 'reset'],
    ]);
  });

  it('publishes nothing when nobody listens', async () => {
    const publishers = Object.values(circuitBreakerChannels).map((name) =>
      vi.spyOn(channel(name), 'publish'),
    );
    const breaker = createCircuitBreaker(succeedOrFail, {
      name: 'quiet',
      clock: manualClock(),
      volumeThreshold: 1,
    });
    await breaker.execute('fail').catch(() => undefined);
    await breaker.execute('ok').catch(() => undefined);
    expect(breaker.state).toBe('open');
    for (const publish of publishers) expect(publish).not.toHaveBeenCalled();
  });
});
