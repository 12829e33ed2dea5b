import { describe, expectTypeOf, it } from 'vitest';
import {
  type AttemptContext,
  type Backoff,
  backoff,
  createRetryBudget,
  createRetryPolicy,
  isRetryable,
  type RetryAttemptEvent,
  type RetryBudget,
  type RetryGiveUpReason,
  type RetryPolicy,
  retry,
  retryChannels,
} from './index.ts';

describe('types', () => {
  it('infers the result of sync and async functions', () => {
    expectTypeOf(retry(() => 42)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(retry(async () => 'text')).toEqualTypeOf<Promise<string>>();
    const policy = createRetryPolicy();
    expectTypeOf(policy).toEqualTypeOf<RetryPolicy>();
    expectTypeOf(policy.execute(async ({ attempt }) => ({ attempt }))).toEqualTypeOf<
      Promise<{ attempt: number }>
    >();
  });

  it('gives each attempt its number and signal', () => {
    retry((context) => {
      expectTypeOf(context).toEqualTypeOf<AttemptContext>();
      expectTypeOf(context.signal).toEqualTypeOf<AbortSignal>();
      expectTypeOf(context.attempt).toEqualTypeOf<number>();
    });
  });

  it('takes any (attempt, previousDelayMs) => ms function as a backoff', () => {
    expectTypeOf(backoff.fullJitter()).toEqualTypeOf<Backoff>();
    createRetryPolicy({ backoff: (attempt, previousDelayMs) => attempt * 100 + previousDelayMs });
    // @ts-expect-error a backoff returns milliseconds
    createRetryPolicy({ backoff: () => 'soon' });
  });

  it('accepts false to disable the deadline, attempt timeout and budget, not other values', () => {
    createRetryPolicy({ maxElapsedMs: false, attemptTimeoutMs: false, budget: false });
    // @ts-expect-error true is not a duration
    createRetryPolicy({ maxElapsedMs: true });
    // @ts-expect-error the signal belongs to a call, not to a policy
    createRetryPolicy({ signal: new AbortController().signal });
    expectTypeOf(createRetryBudget()).toEqualTypeOf<RetryBudget>();
  });

  it('exports literal channel names and event types', () => {
    expectTypeOf(retryChannels.attempt).toEqualTypeOf<'rampart:retry:attempt'>();
    expectTypeOf<RetryAttemptEvent['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<'deadline'>().toExtend<RetryGiveUpReason>();
    expectTypeOf(isRetryable).parameter(0).toEqualTypeOf<unknown>();
  });
});
