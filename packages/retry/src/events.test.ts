import { channel, subscribe, unsubscribe } from 'node:diagnostics_channel';
import { CircuitOpenError, RateLimitedError, ValidationError } from '@rampart/errors';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { backoff } from './backoff.ts';
import {
  type RetryAttemptEvent,
  type RetryBudgetExhaustedEvent,
  type RetryGiveUpEvent,
  retryChannels,
} from './events.ts';
import { failing, times, track } from './internal/test-support.ts';
import { createRetryBudget } from './retry-budget.ts';
import { createRetryPolicy } from './retry-policy.ts';

type Listener = (message: unknown, name: string | symbol) => void;

const received = {
  attempt: [] as RetryAttemptEvent[],
  giveUp: [] as RetryGiveUpEvent[],
  budgetExhausted: [] as RetryBudgetExhaustedEvent[],
};
const listeners: Record<keyof typeof retryChannels, Listener> = {
  attempt: (message) => received.attempt.push(message as RetryAttemptEvent),
  giveUp: (message) => received.giveUp.push(message as RetryGiveUpEvent),
  budgetExhausted: (message) => received.budgetExhausted.push(message as RetryBudgetExhaustedEvent),
};

function subscribeAll(): void {
  for (const key of Object.keys(listeners) as (keyof typeof retryChannels)[]) {
    subscribe(retryChannels[key], listeners[key]);
  }
}

function unsubscribeAll(): void {
  for (const key of Object.keys(listeners) as (keyof typeof retryChannels)[]) {
    unsubscribe(retryChannels[key], listeners[key]);
  }
}

beforeEach(() => {
  vi.useFakeTimers();
  received.attempt = [];
  received.giveUp = [];
  received.budgetExhausted = [];
  subscribeAll();
});

afterEach(() => {
  unsubscribeAll();
  vi.useRealTimers();
});

describe('retryChannels', () => {
  it('names the channels rampart:retry:<event>', () => {
    expect(retryChannels).toEqual({
      attempt: 'rampart:retry:attempt',
      giveUp: 'rampart:retry:give-up',
      budgetExhausted: 'rampart:retry:budget-exhausted',
    });
    expect(Object.isFrozen(retryChannels)).toBe(true);
  });

  it('publishes an attempt event per scheduled retry, with the policy name and error code', async () => {
    const limited = new RateLimitedError('slow', { retryAfterMs: 300 });
    const plain = new Error('flaky');
    const { fn } = failing([limited, plain], 'ok');
    const policy = createRetryPolicy({
      name: 'payments',
      backoff: backoff.constant({ delayMs: 50 }),
    });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(350);
    expect(call.value).toBe('ok');
    expect(received.attempt).toEqual([
      {
        name: 'payments',
        attempt: 1,
        retriesLeft: 3,
        delayMs: 300,
        elapsedMs: 0,
        error: limited,
        code: 'E_RATE_LIMITED',
      },
      {
        name: 'payments',
        attempt: 2,
        retriesLeft: 2,
        delayMs: 50,
        elapsedMs: 300,
        error: plain,
        code: undefined,
      },
    ]);
    expect(received.giveUp).toEqual([]);
  });

  it("names events 'default' when the policy has no name", async () => {
    const { fn } = failing([new Error('x')], 'ok');
    await createRetryPolicy({ backoff: backoff.constant({ delayMs: 0 }) }).execute(fn);
    expect(received.attempt[0]?.name).toBe('default');
  });

  it.each([
    ['not-retryable', { retries: 3 }, [new ValidationError('bad')], 1],
    ['retries-exhausted', { retries: 1 }, times(5, new Error('x')), 2],
  ] as const)('publishes one give-up event (%s)', async (reason, options, errors, attempts) => {
    const { fn } = failing(errors, 'never');
    const policy = createRetryPolicy({ ...options, backoff: backoff.constant({ delayMs: 10 }) });
    const call = track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(100);
    expect(received.giveUp).toEqual([
      {
        name: 'default',
        attempt: attempts,
        reason,
        delayMs: reason === 'not-retryable' ? 10 : 0,
        elapsedMs: (attempts - 1) * 10,
        error: call.error,
        code: reason === 'not-retryable' ? 'E_VALIDATION' : undefined,
      },
    ]);
  });

  it('publishes a deadline give-up with the delay that did not fit', async () => {
    const error = new Error('x');
    const { fn } = failing(times(5, error), 'never');
    const policy = createRetryPolicy({
      maxElapsedMs: 1_000,
      backoff: backoff.constant({ delayMs: 600 }),
    });
    track(policy.execute(fn));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(received.giveUp).toEqual([
      {
        name: 'default',
        attempt: 2,
        reason: 'deadline',
        delayMs: 600,
        elapsedMs: 600,
        error,
        code: undefined,
      },
    ]);
  });

  it('publishes budget-exhausted, then give-up, when the budget refuses a retry', async () => {
    const budget = createRetryBudget({ capacity: 1, retryRatio: 0, minRetriesPerSecond: 0 });
    budget.tryRetry();
    const error = new Error('down');
    const { fn } = failing([error], 'never');
    const policy = createRetryPolicy({
      name: 'search',
      budget,
      backoff: backoff.constant({ delayMs: 25 }),
    });
    await expect(policy.execute(fn)).rejects.toBe(error);
    expect(received.budgetExhausted).toEqual([
      { name: 'search', attempt: 1, delayMs: 25, elapsedMs: 0, error, code: undefined },
    ]);
    expect(received.giveUp).toMatchObject([
      { name: 'search', reason: 'budget-exhausted', attempt: 1 },
    ]);
    expect(received.attempt).toEqual([]);
  });

  it.each([
    ['before the first attempt', 0, 0],
    ['during a wait', 500, 1],
  ])('publishes an aborted give-up when the caller aborts %s', async (_, abortAtMs, attempts) => {
    const controller = new AbortController();
    if (abortAtMs === 0) controller.abort('stop');
    const { fn } = failing(times(5, new Error('x')), 'never');
    const policy = createRetryPolicy({ backoff: backoff.constant({ delayMs: 1_000 }) });
    const call = track(policy.execute(fn, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(abortAtMs);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBe('stop');
    expect(received.giveUp).toEqual([
      {
        name: 'default',
        attempt: attempts,
        reason: 'aborted',
        delayMs: attempts === 0 ? 0 : 1_000,
        elapsedMs: abortAtMs,
        error: 'stop',
        code: undefined,
      },
    ]);
  });

  it('publishes an aborted give-up when the caller aborts during a later attempt', async () => {
    const controller = new AbortController();
    const fn = vi.fn(({ attempt }: { attempt: number }) =>
      attempt === 1 ? Promise.reject(new Error('x')) : new Promise(() => {}),
    );
    const policy = createRetryPolicy({ backoff: backoff.constant({ delayMs: 0 }) });
    const call = track(policy.execute(fn, { signal: controller.signal }));
    await vi.advanceTimersByTimeAsync(10);
    controller.abort('stop');
    await vi.advanceTimersByTimeAsync(0);
    expect(call.error).toBe('stop');
    expect(received.giveUp).toMatchObject([{ reason: 'aborted', attempt: 2, error: 'stop' }]);
  });

  it.each([
    ['circuit-open', {}, new CircuitOpenError('open')],
    [
      'hook-failed',
      {
        onRetry: () => {
          throw new Error('hook');
        },
      },
      new Error('x'),
    ],
  ] as const)('publishes a %s give-up', async (reason, options, error) => {
    const { fn } = failing([error], 'never');
    const policy = createRetryPolicy({ ...options, backoff: backoff.constant({ delayMs: 0 }) });
    await expect(policy.execute(fn)).rejects.toThrow();
    expect(received.giveUp).toMatchObject([{ reason, attempt: 1 }]);
  });

  it('publishes nothing and builds no payload while nobody subscribes', async () => {
    unsubscribeAll();
    const spies = Object.values(retryChannels).map((name) => vi.spyOn(channel(name), 'publish'));
    const { fn } = failing(times(10, new Error('x')), 'never');
    const policy = createRetryPolicy({ retries: 2, backoff: backoff.constant({ delayMs: 0 }) });
    await expect(policy.execute(fn)).rejects.toThrow('x');
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    subscribeAll();
    await expect(policy.execute(fn)).rejects.toThrow('x');
    expect(spies[0]).toHaveBeenCalledTimes(2);
    expect(spies[1]).toHaveBeenCalledTimes(1);
  });
});
