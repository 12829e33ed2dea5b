import { ConfigurationError } from '@rampart/errors';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from './index.ts';
import { createBanList, withBans } from './internal/admission/bans.ts';
import { MODE_CONSUME, MODE_PEEK, MODE_REWARD, type Mode } from './internal/algorithms.ts';
import { rawOf } from './internal/raw-store.ts';
import type { RateLimitAlgorithm, ResolvedLimit } from './limits.ts';
import { memoryStore } from './memory-store.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';
import { redisStore } from './redis.ts';
import type { RateLimitStore } from './store.ts';

const START = 1_750_000_000_000;

function manualClock(): { now(): number; advance(ms: number): void } {
  let now = START;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
  };
}

describe('blockDurationMs (memory store)', () => {
  it('bans a caller who exceeds a limit for blockDurationMs, charging nothing meanwhile', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 2, windowMs: 1_000, algorithm: 'fixed-window' }],
      blockDurationMs: 60_000,
      clock,
    });
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(true);
    const rejected = await limiter.consume('a');
    expect(rejected).toMatchObject({ allowed: false, retryAfterMs: 60_000, remaining: 0 });
    expect(rateLimitHeaders(rejected)['retry-after']).toBe('60');
    expect(rateLimitHeaders(rejected).ratelimit).toBe('"second";r=0;t=60');
    clock.advance(5_000); // the window is long over, the ban is not
    const banned = await limiter.consume('a');
    expect(banned).toMatchObject({ allowed: false, retryAfterMs: 55_000 });
    expect(banned.policies[0]).toMatchObject({
      allowed: false,
      remaining: 0,
      retryAfterMs: 55_000,
    });
    expect(await limiter.peek('a')).toMatchObject({ allowed: false, retryAfterMs: 55_000 });
    // Not extended by the calls it rejects, and lifted exactly at its end, uncharged.
    clock.advance(55_000);
    const back = await limiter.consume('a');
    expect(back).toMatchObject({ allowed: true, remaining: 1 });
    // Other keys are untouched.
    expect((await limiter.consume('b')).allowed).toBe(true);
  });

  it('lifts the ban on reset, but not on reward', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'minute', limit: 1, windowMs: 60_000 }],
      blockDurationMs: 600_000,
      clock,
    });
    await limiter.consume('a');
    await limiter.consume('a');
    await limiter.reward('a', 1);
    expect(await limiter.consume('a')).toMatchObject({ allowed: false, retryAfterMs: 600_000 });
    await limiter.reset('a');
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  it('costs nothing and changes nothing when not configured', async () => {
    const clock = manualClock();
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000, algorithm: 'fixed-window' }],
      clock,
    });
    await limiter.consume('a');
    expect((await limiter.consume('a')).retryAfterMs).toBe(1_000);
    clock.advance(1_000);
    expect((await limiter.consume('a')).allowed).toBe(true);
  });

  it('refuses a bad value, and a store that cannot keep bans, naming the field', () => {
    for (const blockDurationMs of [0, -1, 1.5, '10', Number.POSITIVE_INFINITY]) {
      expect(() => createRateLimiter({ blockDurationMs: blockDurationMs as number })).toThrow(
        /`blockDurationMs`/,
      );
    }
    const memory = memoryStore();
    const custom: RateLimitStore = {
      timeSource: 'caller',
      consume: (request) => memory.consume(request),
      peek: (request) => memory.peek(request),
      reward: (request) => memory.reward(request),
      reset: (request) => memory.reset(request),
      close: () => Promise.resolve(),
    };
    expect(() => createRateLimiter({ store: custom, blockDurationMs: 1_000 })).toThrow(
      ConfigurationError,
    );
    expect(() => createRateLimiter({ store: custom })).not.toThrow();
  });

  it('matches a model: rejected consumes ban, banned consumes are refused and never charged (fast-check)', async () => {
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 3_000 }),
      cost: fc.integer({ min: 1, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<RateLimitAlgorithm>(
          'gcra',
          'fixed-window',
          'sliding-window',
          'token-bucket',
        ),
        fc.integer({ min: 1, max: 10_000 }),
        fc.array(step, { maxLength: 40 }),
        async (algorithm, blockDurationMs, steps) => {
          const clock = manualClock();
          const limits = [{ name: 'l', limit: 3, windowMs: 1_000, algorithm }];
          const banned = createRateLimiter({ limits, blockDurationMs, clock });
          // The model: the same limits without bans, fed only the calls the ban let through.
          const plain = createRateLimiter({ limits, clock });
          let bannedUntil = Number.NEGATIVE_INFINITY;
          for (const { gapMs, cost } of steps) {
            clock.advance(gapMs);
            const now = clock.now();
            const decision = await banned.consume('k', { cost });
            if (now < bannedUntil) {
              const expected = await plain.peek('k', { cost });
              expect(decision.allowed).toBe(false);
              expect(decision.retryAfterMs).toBe(
                Math.max(bannedUntil - now, expected.retryAfterMs),
              );
              continue;
            }
            const expected = await plain.consume('k', { cost });
            expect(decision.allowed).toBe(expected.allowed);
            if (!expected.allowed) {
              bannedUntil = now + blockDurationMs;
              expect(decision.retryAfterMs).toBe(Math.max(blockDurationMs, expected.retryAfterMs));
            } else {
              expect(decision).toEqual(expected);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe.runIf(hasRedisServer())('blockDurationMs (Redis store)', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  let client: Redis;
  let run = 0;
  const prefix = (): string => `bans:${process.pid}:${++run}:`;

  beforeAll(async () => {
    redis = await useRedis();
    client = new Redis(redis.url);
  });
  afterAll(async () => {
    client.disconnect();
    await redis.release();
  });

  it('bans in Redis, shared by every limiter on it, lifted by reset', async () => {
    const shared = prefix();
    const options = {
      limits: [{ name: 'minute', limit: 2, windowMs: 60_000 }],
      store: redisStore({ client }),
      prefix: shared,
      blockDurationMs: 3_600_000,
      storeTimeoutMs: 10_000,
      blockCache: false,
    };
    const one = createRateLimiter(options);
    const other = createRateLimiter(options); // another process, as far as Redis can tell
    await one.consume('a');
    await one.consume('a');
    const rejected = await one.consume('a');
    expect(rejected).toMatchObject({ allowed: false, source: 'store' });
    expect(rejected.retryAfterMs).toBeGreaterThan(3_500_000);
    const elsewhere = await other.consume('a');
    expect(elsewhere.allowed).toBe(false);
    expect(elsewhere.retryAfterMs).toBeGreaterThan(3_500_000);
    expect(await client.pttl(`${shared}{a}:minute:ban`)).toBeGreaterThan(3_500_000);
    await other.reset('a');
    expect(await client.exists(`${shared}{a}:minute:ban`)).toBe(0);
    expect((await one.consume('a')).allowed).toBe(true);
  });

  it('still costs exactly one script call per decision (INFO commandstats)', async () => {
    const limiter = createRateLimiter({
      limits: [
        { name: 'minute', limit: 3, windowMs: 60_000 },
        { name: 'hour', limit: 1000, windowMs: 3_600_000 },
      ],
      store: redisStore({ client }),
      prefix: prefix(),
      blockDurationMs: 60_000,
      storeTimeoutMs: 10_000,
      blockCache: false,
    });
    await limiter.consume('warm-up');
    await client.config('RESETSTAT');
    const decisions = 200;
    let rejected = 0;
    for (let call = 0; call < decisions; call++) {
      if (!(await limiter.consume(`user-${call % 20}`)).allowed) rejected++;
    }
    expect(rejected).toBe(200 - 20 * 3);
    const calls = new Map<string, number>();
    for (const line of (await client.info('commandstats')).split('\r\n')) {
      const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
      if (match?.[1] !== undefined) calls.set(match[1], Number(match[2]));
    }
    expect(calls.get('evalsha')).toBe(decisions);
    expect(calls.get('eval')).toBeUndefined();
  });

  it('agrees with the memory store on random calls and times, bans included (fast-check)', async () => {
    const store = redisStore({ client });
    const evaluateRemote = rawOf(store)?.evaluate;
    if (evaluateRemote === undefined) throw new Error('redisStore has no raw path');
    const step = fc.record({
      gapMs: fc.integer({ min: 0, max: 2_000 }),
      mode: fc.constantFrom<Mode>(MODE_CONSUME, MODE_CONSUME, MODE_CONSUME, MODE_PEEK, MODE_REWARD),
      cost: fc.integer({ min: 1, max: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<RateLimitAlgorithm>(
          'gcra',
          'fixed-window',
          'sliding-window',
          'token-bucket',
        ),
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(step, { maxLength: 25 }),
        async (algorithm, blockDurationMs, steps) => {
          const limits: ResolvedLimit[] = [
            { name: 'l', algorithm, limit: 2, windowMs: 1_000, capacity: 2 },
          ];
          const keyPrefix = prefix();
          const bound = rawOf(memoryStore())?.bind?.(keyPrefix, limits);
          if (bound === undefined) throw new Error('memoryStore has no raw path');
          const local = withBans(bound, createBanList(), 1, blockDurationMs);
          let now = START;
          for (const { gapMs, mode, cost } of steps) {
            now += gapMs;
            const expected = Array.from(local('k', cost, now, mode), (n) => n + 0).slice(0, 6);
            const actual = Array.from(
              await evaluateRemote(
                { prefix: keyPrefix, key: 'k', limits, cost, nowMs: now },
                mode,
                blockDurationMs,
              ),
              (n) => n + 0,
            );
            expect(actual).toEqual(expected);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
