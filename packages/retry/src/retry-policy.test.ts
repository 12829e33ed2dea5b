import { ConfigurationError, ValidationError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { createRetryPolicy } from './retry-policy.ts';

describe('createRetryPolicy', () => {
  it('returns a frozen policy with its name and budget', () => {
    const policy = createRetryPolicy({ name: 'inventory' });
    expect(policy.name).toBe('inventory');
    expect(Object.isFrozen(policy)).toBe(true);
    expect(createRetryPolicy().name).toBe('default');
  });

  it.each([
    [{ retries: -2 }, 'createRetryPolicy: `retries` must be a non-negative integer (got -2)'],
    [{ clock: { now: 5 } }, 'createRetryPolicy: `clock` must be an object with a now() method'],
    [{ signal: AbortSignal.abort() }, 'createRetryPolicy: `signal` is not a known option'],
  ])('rejects %o with a ConfigurationError', (options, message) => {
    expect(() => createRetryPolicy(options as never)).toThrow(ConfigurationError);
    expect(() => createRetryPolicy(options as never)).toThrow(message);
  });

  it('rejects a non-function with a ValidationError, without calling anything', async () => {
    const promise = createRetryPolicy().execute(42 as never);
    await expect(promise).rejects.toThrow(ValidationError);
    await expect(promise).rejects.toThrow('execute: `fn` must be a function (got 42)');
  });

  it('rejects a signal that is not an AbortSignal with a ValidationError', async () => {
    const fn = vi.fn();
    const promise = createRetryPolicy().execute(fn, { signal: { aborted: false } as never });
    await expect(promise).rejects.toThrow(ValidationError);
    await expect(promise).rejects.toThrow('execute: `options.signal` must be an AbortSignal');
    expect(fn).not.toHaveBeenCalled();
  });

  it('uses the injected clock for elapsed time', async () => {
    let now = 1_000;
    const elapsed: number[] = [];
    const policy = createRetryPolicy({
      clock: { now: () => now },
      backoff: () => 0,
      onRetry: (context) => elapsed.push(context.elapsedMs),
    });
    await policy.execute(({ attempt }) => {
      now += 250;
      if (attempt < 3) throw new Error('flaky');
      return 'ok';
    });
    expect(elapsed).toEqual([250, 500]);
  });

  it("gives its default budget the policy's clock", () => {
    let now = 0;
    const policy = createRetryPolicy({ clock: { now: () => now } });
    const budget = policy.budget;
    while (budget?.tryRetry()) {
      // spend it all
    }
    expect(budget?.available()).toBe(0);
    now += 1_000; // the default floor: 10 retries per second of the policy's clock
    expect(budget?.available()).toBe(10);
  });
});
