import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ConfigurationError, TimeoutError, UnavailableError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStoreGuard } from './store-guard.ts';
import type { StoreGuardOptions } from './store-guard-options.ts';
import type { StoreFailure, StoreStateEvent } from './store-state.ts';

const CHANNEL = 'rampart:test:store-state';

/** A store whose answers the test switches: up, down (rejects) or hanging. */
function fakeStore() {
  const store = {
    mode: 'up' as 'up' | 'down' | 'hang',
    calls: 0,
    pings: 0,
    answer(): Promise<string> {
      if (store.mode === 'down') return Promise.reject(new Error('connection refused'));
      if (store.mode === 'hang') return new Promise<string>(() => {});
      return Promise.resolve('value');
    },
    call: (): Promise<string> => {
      store.calls += 1;
      return store.answer();
    },
    ping: (): Promise<string> => {
      store.pings += 1;
      return store.answer();
    },
  };
  return store;
}

const base = { name: 'test', component: 'test', channel: CHANNEL } as const;

let events: StoreStateEvent[] = [];
const collect = (message: unknown): void => {
  events.push(message as StoreStateEvent);
};

beforeEach(() => {
  vi.useFakeTimers();
  events = [];
  subscribe(CHANNEL, collect);
});
afterEach(() => {
  unsubscribe(CHANNEL, collect);
  vi.useRealTimers();
});

/** Starts `promise` and records whether it settled after `ms` of fake time. */
async function within<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let result: T | 'pending' = 'pending';
  void promise.then((value) => {
    result = value;
  });
  await vi.advanceTimersByTimeAsync(ms);
  return result;
}

describe('createStoreGuard', () => {
  it('ends a hanging call with a TimeoutError exactly at timeoutMs', async () => {
    const store = fakeStore();
    store.mode = 'hang';
    const failures: StoreFailure[] = [];
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 100,
      failureThreshold: 3,
      coolDownMs: 1000,
      onFailure: (failure) => failures.push(failure),
    });
    const outcome = guard.run('get', store.call, { key: 'k' });
    expect(await within(outcome, 99)).toBe('pending');
    const ended = await within(outcome, 1);
    expect(ended).toMatchObject({ ok: false, reason: 'failed' });
    expect((ended as { error: unknown }).error).toBeInstanceOf(TimeoutError);
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ operation: 'get', key: 'k', timedOut: true, probe: false });
    expect(guard.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 1 });
    guard.close();
  });

  it('wraps a store rejection as an UnavailableError and cools down after failureThreshold in a row', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 3,
      coolDownMs: 1000,
    });
    for (let index = 0; index < 2; index++) {
      const outcome = await guard.run('get', store.call);
      expect(outcome).toMatchObject({ ok: false, reason: 'failed' });
      expect((outcome as { error: unknown }).error).toBeInstanceOf(UnavailableError);
      expect(guard.health().state).toBe('healthy');
    }
    const start = Date.now();
    await guard.run('get', store.call);
    expect(guard.health()).toEqual({
      state: 'cooling-down',
      consecutiveFailures: 3,
      changedAt: start,
      retryAfterMs: 1000,
    });
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      name: 'test',
      from: 'healthy',
      to: 'cooling-down',
      code: 'E_UNAVAILABLE',
    });
    const calls = store.calls;
    expect(await guard.run('get', store.call)).toEqual({ ok: false, reason: 'skipped' });
    expect(store.calls).toBe(calls);
    await vi.advanceTimersByTimeAsync(400);
    expect(guard.health().retryAfterMs).toBe(600);
    guard.close();
  });

  it('a success resets the failure count', async () => {
    const store = fakeStore();
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 2,
      coolDownMs: 1000,
    });
    store.mode = 'down';
    await guard.run('get', store.call);
    store.mode = 'up';
    expect(await guard.run('get', store.call)).toEqual({ ok: true, value: 'value' });
    store.mode = 'down';
    await guard.run('get', store.call);
    expect(guard.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 1 });
    guard.close();
  });

  it('probes with ping on a timer when the cool-down ends and reports healthy with no call', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
      ping: store.ping,
    });
    await guard.run('get', store.call);
    store.mode = 'up';
    await vi.advanceTimersByTimeAsync(999);
    expect(guard.health().state).toBe('cooling-down');
    expect(store.pings).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(store.pings).toBe(1);
    expect(guard.health()).toMatchObject({
      state: 'healthy',
      consecutiveFailures: 0,
      retryAfterMs: 0,
    });
    expect(events.map((event) => event.to)).toEqual(['cooling-down', 'probing', 'healthy']);
    guard.close();
  });

  it('cools down again when the timer probe fails or hangs', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
      ping: store.ping,
    });
    await guard.run('get', store.call);
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health()).toMatchObject({ state: 'cooling-down', consecutiveFailures: 2 });
    store.mode = 'hang';
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health().state).toBe('probing');
    await vi.advanceTimersByTimeAsync(50);
    expect(guard.health()).toMatchObject({ state: 'cooling-down', consecutiveFailures: 3 });
    store.mode = 'up';
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health().state).toBe('healthy');
    guard.close();
  });

  it('without ping, the first call after the cool-down is the probe and reaches the store', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
    });
    await guard.run('set', store.call);
    store.mode = 'up';
    await vi.advanceTimersByTimeAsync(1000);
    const calls = store.calls;
    const first = guard.run('set', store.call);
    const second = guard.run('set', store.call);
    expect(await first).toEqual({ ok: true, value: 'value' });
    expect(await second).toEqual({ ok: true, value: 'value' });
    expect(store.calls).toBe(calls + 2);
    expect(guard.health().state).toBe('healthy');
    guard.close();
  });

  it('a call arriving while the probe runs waits for it and then reaches the store', async () => {
    const store = fakeStore();
    store.mode = 'down';
    let release: () => void = () => {};
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
      ping: () => new Promise<void>((resolve) => (release = resolve)),
    });
    await guard.run('set', store.call);
    store.mode = 'up';
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health().state).toBe('probing');
    const calls = store.calls;
    const waiting = guard.run('set', store.call);
    await vi.advanceTimersByTimeAsync(10);
    expect(store.calls).toBe(calls);
    release();
    expect(await waiting).toEqual({ ok: true, value: 'value' });
    expect(store.calls).toBe(calls + 1);
    guard.close();
  });

  it('runs beforeRecovery before healthy, and cools down again when it fails', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const order: string[] = [];
    let replayFails = true;
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
      ping: async () => {
        order.push('ping');
      },
      beforeRecovery: async () => {
        order.push(`replay while ${guard.health().state}`);
        if (replayFails) throw new Error('replay failed');
      },
    });
    await guard.run('set', store.call);
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health().state).toBe('cooling-down');
    replayFails = false;
    await vi.advanceTimersByTimeAsync(1000);
    expect(guard.health().state).toBe('healthy');
    expect(order).toEqual(['ping', 'replay while probing', 'ping', 'replay while probing']);
    guard.close();
  });

  it('ignores a late success of a call that started before the cool-down', async () => {
    const store = fakeStore();
    let answerLate: (value: string) => void = () => {};
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 500,
      failureThreshold: 1,
      coolDownMs: 1000,
    });
    const late = guard.run('get', () => new Promise<string>((resolve) => (answerLate = resolve)));
    store.mode = 'down';
    await guard.run('get', store.call);
    expect(guard.health().state).toBe('cooling-down');
    answerLate('old');
    expect(await late).toEqual({ ok: true, value: 'old' });
    expect(guard.health().state).toBe('cooling-down');
    guard.close();
  });

  it('ends a call aborted by its caller at once, with the signal reason, without counting a failure', async () => {
    const store = fakeStore();
    store.mode = 'hang';
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
    });
    const controller = new AbortController();
    const outcome = guard.run('get', store.call, { signal: controller.signal });
    const reason = new Error('gave up');
    controller.abort(reason);
    expect(await outcome).toEqual({ ok: false, reason: 'aborted', error: reason });
    await vi.advanceTimersByTimeAsync(100);
    expect(guard.health()).toMatchObject({ state: 'healthy', consecutiveFailures: 0 });
    expect(await guard.run('get', store.call, { signal: controller.signal })).toMatchObject({
      reason: 'aborted',
    });
    guard.close();
  });

  it('skips every call after close', async () => {
    const store = fakeStore();
    const guard = createStoreGuard({
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
    });
    guard.close();
    expect(await guard.run('get', store.call)).toEqual({ ok: false, reason: 'skipped' });
    expect(store.calls).toBe(0);
  });

  it.each([
    ['timeoutMs', 2 ** 31],
    ['coolDownMs', 2 ** 31],
    ['timeoutMs', 0],
    ['failureThreshold', 1.5],
  ] as const)('rejects %s = %d with a ConfigurationError naming it', (field, value) => {
    const options = {
      ...base,
      timeoutMs: 50,
      failureThreshold: 1,
      coolDownMs: 1000,
      [field]: value,
    };
    expect(() => createStoreGuard(options)).toThrow(ConfigurationError);
    expect(() => createStoreGuard(options)).toThrow(new RegExp(`\`${field}\``));
  });

  it('accepts a duration of 2^31 - 1 ms', () => {
    const options: StoreGuardOptions = {
      ...base,
      timeoutMs: 2 ** 31 - 1,
      failureThreshold: 1,
      coolDownMs: 2 ** 31 - 1,
    };
    expect(() => createStoreGuard(options).close()).not.toThrow();
  });
});

describe('observers', () => {
  it('keeps the state machine intact when onFailure or onStateChange throws, rethrowing on the next tick', async () => {
    const store = fakeStore();
    store.mode = 'down';
    const thrown: unknown[] = [];
    const onUncaught = (error: unknown): void => {
      thrown.push(error);
    };
    process.on('uncaughtException', onUncaught);
    try {
      const guard = createStoreGuard({
        ...base,
        timeoutMs: 50,
        failureThreshold: 1,
        coolDownMs: 100,
        ping: store.ping,
        onFailure: () => {
          throw new Error('observer failed');
        },
        onStateChange: () => {
          throw new Error('observer failed');
        },
      });
      expect(await guard.run('get', store.call)).toMatchObject({ ok: false, reason: 'failed' });
      expect(guard.health().state).toBe('cooling-down');
      store.mode = 'up';
      await vi.advanceTimersByTimeAsync(100);
      expect(guard.health().state).toBe('healthy');
      await new Promise((resolve) => process.nextTick(resolve));
      expect(thrown.length).toBeGreaterThanOrEqual(2);
      guard.close();
    } finally {
      process.off('uncaughtException', onUncaught);
    }
  });
});
