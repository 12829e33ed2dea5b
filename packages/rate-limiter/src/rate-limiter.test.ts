import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { ConfigurationError, isRampartError, ValidationError } from '@rampart/errors';
import { afterEach, describe, expect, it } from 'vitest';
import { type RateLimiterDecisionEvent, rateLimiterChannels } from './channels.ts';
import { createRateLimiter, memoryStore } from './index.ts';

const START = 1_750_000_020_000; // a multiple of 60 000: minute windows start here

function manualClock(start = START) {
  let now = start;
  return {
    now: () => now,
    advance(ms: number) {
      now += ms;
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const listeners: [string, (message: unknown) => void][] = [];
function listen<T>(name: string): T[] {
  const seen: T[] = [];
  const listener = (message: unknown): void => {
    seen.push(message as T);
  };
  subscribe(name, listener);
  listeners.push([name, listener]);
  return seen;
}
afterEach(() => {
  for (const [name, listener] of listeners.splice(0)) unsubscribe(name, listener);
});

describe('createRateLimiter', () => {
  it('limits to 60 per minute and 1000 per hour by default', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({ clock });
    expect(limiter.limits.map(({ name, limit, windowMs }) => [name, limit, windowMs])).toEqual([
      ['minute', 60, 60_000],
      ['hour', 1000, 3_600_000],
    ]);
    const decisions = [];
    for (let call = 0; call < 61; call++) decisions.push(await limiter.consume('user'));
    expect(decisions.filter((decision) => decision.allowed)).toHaveLength(60);
    const rejected = decisions[60];
    expect(rejected).toMatchObject({ allowed: false, policy: 'minute', remaining: 0 });
    expect(rejected?.retryAfterMs).toBe(1_000); // GCRA: the next unit frees up in a second
  });

  it('resolves a full decision for every call, admitted or not', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 2, windowMs: 1_000, algorithm: 'fixed-window' }],
      clock,
    });
    await limiter.consume('a');
    expect(await limiter.consume('a')).toEqual({
      allowed: true,
      key: 'a',
      cost: 1,
      policy: 'second',
      limit: 2,
      remaining: 0,
      resetMs: 1_000,
      retryAfterMs: 0,
      source: 'store',
      policies: [
        {
          name: 'second',
          algorithm: 'fixed-window',
          limit: 2,
          windowMs: 1_000,
          allowed: true,
          remaining: 0,
          resetMs: 1_000,
          retryAfterMs: 0,
          refillMs: 1_000,
        },
      ],
    });
    clock.advance(250);
    expect(await limiter.consume('a')).toMatchObject({ allowed: false, retryAfterMs: 750 });
  });

  it('charges no limit when any limit rejects', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [
        { name: 'burst', limit: 2, windowMs: 1_000, algorithm: 'fixed-window' },
        { name: 'daily', limit: 100, windowMs: 86_400_000 },
      ],
      clock,
    });
    await limiter.consume('a', { cost: 2 });
    for (let call = 0; call < 10; call++) {
      const decision = await limiter.consume('a');
      expect(decision.allowed).toBe(false);
      expect(decision.policies.map((policy) => policy.allowed)).toEqual([false, true]);
      expect(decision.policies[1]?.remaining).toBe(98);
    }
  });

  it('names the deciding policy: the violated one with the longest wait', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [
        { name: 'second', limit: 1, windowMs: 1_000, algorithm: 'fixed-window' },
        { name: 'minute', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' },
      ],
      clock,
    });
    await limiter.consume('a');
    const decision = await limiter.consume('a');
    expect(decision).toMatchObject({ policy: 'minute', limit: 1, retryAfterMs: 60_000 });
  });

  it('rejects bad input with a ValidationError naming it, never a TypeError', async () => {
    const limiter = createRateLimiter({ limits: [{ name: 'm', limit: 5, windowMs: 1_000 }] });
    const cases: [Promise<unknown>, string][] = [
      [limiter.consume(''), 'consume: `key` must be a non-empty string (got "")'],
      [limiter.consume(42 as never), 'consume: `key` must be a non-empty string (got 42)'],
      [limiter.consume('a', { cost: 0 }), 'consume: `cost` must be a positive integer (got 0)'],
      [limiter.consume('a', { cost: 1.5 }), 'consume: `cost` must be a positive integer (got 1.5)'],
      [
        limiter.consume('a', { cost: 6 }),
        'consume: `cost` must be at most 5, the burst of limit "m" (got 6)',
      ],
      [limiter.consume('a', null as never), 'consume: `options` must be an object (got null)'],
      [
        limiter.consume('a', { signal: 'stop' as never }),
        'consume: `options.signal` must be an AbortSignal (got "stop")',
      ],
      [limiter.reward('a', -1), 'reward: `cost` must be a positive integer (got -1)'],
      [limiter.peek(''), 'peek: `key` must be a non-empty string (got "")'],
      [limiter.reset(''), 'reset: `key` must be a non-empty string (got "")'],
    ];
    for (const [promise, message] of cases) {
      const error = await rejectionOf(promise);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toBe(message);
    }
  });

  it('names the capacity of a window limit in the cost error', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'w', limit: 3, windowMs: 1_000, algorithm: 'sliding-window' }],
    });
    expect(((await rejectionOf(limiter.consume('a', { cost: 4 }))) as Error).message).toBe(
      'consume: `cost` must be at most 3, the limit of "w" (got 4)',
    );
  });

  it('throws one ConfigurationError naming every bad option', () => {
    let error: unknown;
    try {
      createRateLimiter({
        limits: [
          { name: 'minute', limit: 0, windowMs: 60_000 },
          { name: 'minute', limit: 5, windowMs: 1_000, algorithm: 'fixed-window', burst: 3 },
        ],
        storeTimeoutMs: -1,
        onStoreError: 'explode' as never,
        prefix: 'a{b}',
        blockCache: 'yes' as never,
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).issues.map((issue) => issue.path)).toEqual([
      'limits[0].limit',
      'limits[1].burst',
      'limits[1].name',
      'prefix',
      'onStoreError',
      'storeTimeoutMs',
      'blockCache',
    ]);
    expect(() =>
      createRateLimiter({
        limits: [
          { name: 'a', limit: 1, windowMs: 1 },
          { name: 'a', limit: 1, windowMs: 1 },
        ],
      }),
    ).toThrow('`limits[1].name` must be unique among the limits (got "a")');
    expect(() => createRateLimiter({ limits: [] })).toThrow(
      '`limits` must have at least one limit',
    );
    expect(() =>
      createRateLimiter({ limits: [{ name: 'huge', limit: 2 ** 30, windowMs: 2 ** 21 }] }),
    ).toThrow('`limits[0].windowMs` must keep limit × windowMs and burst × windowMs at most 2^50');
    expect(() => createRateLimiter({ store: {} as never })).toThrow(
      '`store` must be a rate-limit store',
    );
  });

  it('supports sub-second windows to the millisecond', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'tick', limit: 3, windowMs: 100, algorithm: 'sliding-window' }],
      clock,
    });
    for (let call = 0; call < 3; call++) expect((await limiter.consume('a')).allowed).toBe(true);
    const rejected = await limiter.consume('a');
    expect(rejected.allowed).toBe(false);
    clock.advance(rejected.retryAfterMs - 1);
    expect((await limiter.consume('a')).allowed).toBe(false);
    clock.advance(1);
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  it('peeks without charging, rewards and resets', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'm', limit: 3, windowMs: 60_000, algorithm: 'fixed-window' }],
      clock,
    });
    await limiter.consume('a', { cost: 3 });
    expect(await limiter.peek('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(await limiter.peek('a')).toMatchObject({ allowed: false, remaining: 0 });
    expect(await limiter.reward('a', 2)).toMatchObject({ allowed: true, remaining: 2 });
    await limiter.reset('a');
    expect(await limiter.peek('a', { cost: 3 })).toMatchObject({ allowed: true, remaining: 3 });
  });

  it('in shadow mode lets every call through and reports what the limits decided', async () => {
    const decisions = listen<RateLimiterDecisionEvent>(rateLimiterChannels.decision);
    const limiter = createRateLimiter({
      name: 'rollout',
      limits: [{ name: 'm', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' }],
      shadow: true,
      clock: manualClock(),
    });
    await limiter.consume('a');
    const shadowed = await limiter.consume('a');
    expect(shadowed).toMatchObject({ allowed: true, source: 'shadow', retryAfterMs: 60_000 });
    expect(shadowed.policies[0]?.allowed).toBe(false);
    // A shadowed call is not charged, as when the limit is enforced.
    expect((await limiter.peek('a')).policies[0]?.remaining).toBe(0);
    expect(decisions.map((event) => [event.allowed, event.source, event.violatedPolicies])).toEqual(
      [
        [true, 'store', []],
        [true, 'shadow', ['m']],
      ],
    );
  });

  it('publishes each decision with low-cardinality fields and the key apart', async () => {
    const decisions = listen<RateLimiterDecisionEvent>(rateLimiterChannels.decision);
    const limiter = createRateLimiter({
      name: 'api',
      limits: [{ name: 'm', limit: 1, windowMs: 60_000, algorithm: 'fixed-window' }],
      clock: manualClock(),
    });
    await limiter.consume('user-1');
    await limiter.consume('user-1', { cost: 1 });
    expect(decisions).toEqual([
      {
        name: 'api',
        allowed: true,
        source: 'store',
        policy: 'm',
        violatedPolicies: [],
        cost: 1,
        remaining: 0,
        retryAfterMs: 0,
        key: 'user-1',
      },
      {
        name: 'api',
        allowed: false,
        source: 'store',
        policy: 'm',
        violatedPolicies: ['m'],
        cost: 1,
        remaining: 0,
        retryAfterMs: 60_000,
        key: 'user-1',
      },
    ]);
  });

  it('rejects calls with an aborted signal with its reason', async () => {
    const limiter = createRateLimiter();
    const controller = new AbortController();
    controller.abort(new Error('client went away'));
    const error = await rejectionOf(limiter.consume('a', { signal: controller.signal }));
    expect((error as Error).message).toBe('client went away');
  });

  it('closes: later calls reject, a store passed in stays open', async () => {
    const store = memoryStore();
    const limiter = createRateLimiter({ store, clock: manualClock() });
    await limiter.consume('a');
    await limiter.close();
    await limiter[Symbol.asyncDispose]();
    const error = await rejectionOf(limiter.consume('a'));
    expect(isRampartError(error, 'E_UNAVAILABLE')).toBe(true);
    const other = createRateLimiter({ store, clock: manualClock() });
    expect((await other.peek('a')).policies[0]?.remaining).toBe(59);
  });
});
