import { describe, expect, it } from 'vitest';
import type { PolicyDecision, RateLimitDecision } from './decision.ts';
import { createRateLimiter } from './index.ts';
import { rateLimitHeaders } from './rate-limit-headers.ts';

const START = 1_750_000_020_000;

function policy(overrides: Partial<PolicyDecision>): PolicyDecision {
  return {
    name: 'minute',
    algorithm: 'gcra',
    limit: 60,
    windowMs: 60_000,
    allowed: true,
    remaining: 59,
    resetMs: 1_000,
    retryAfterMs: 0,
    refillMs: 1_000,
    ...overrides,
  };
}

function decision(overrides: Partial<RateLimitDecision>): RateLimitDecision {
  return {
    allowed: true,
    key: 'user-1',
    cost: 1,
    policy: 'minute',
    limit: 60,
    remaining: 59,
    resetMs: 1_000,
    retryAfterMs: 0,
    policies: [policy({})],
    source: 'store',
    ...overrides,
  };
}

describe('rateLimitHeaders', () => {
  it('writes the draft-10 RateLimit-Policy and RateLimit structured fields by default', () => {
    const headers = rateLimitHeaders(
      decision({
        policies: [
          policy({ remaining: 59, refillMs: 1_000 }),
          policy({
            name: 'hour',
            limit: 1000,
            windowMs: 3_600_000,
            remaining: 999,
            refillMs: 3_600,
          }),
        ],
      }),
    );
    expect(headers).toEqual({
      'ratelimit-policy': '"minute";q=60;w=60, "hour";q=1000;w=3600',
      ratelimit: '"minute";r=59;t=1, "hour";r=999;t=4',
    });
  });

  it('leaves out w for a window that is not whole seconds, and t at full capacity', () => {
    const headers = rateLimitHeaders(
      decision({
        policies: [policy({ name: 'tick', limit: 5, windowMs: 250, remaining: 5, refillMs: 0 })],
      }),
    );
    expect(headers).toEqual({ 'ratelimit-policy': '"tick";q=5', ratelimit: '"tick";r=5' });
  });

  it('adds Retry-After, in whole seconds rounded up, when the call was not allowed', () => {
    const headers = rateLimitHeaders(
      decision({
        allowed: false,
        remaining: 0,
        retryAfterMs: 1_200,
        policies: [policy({ allowed: false, remaining: 0, retryAfterMs: 1_200, refillMs: 1_200 })],
      }),
    );
    expect(headers['retry-after']).toBe('2');
    expect(headers.ratelimit).toBe('"minute";r=0;t=2');
    const tiny = rateLimitHeaders(decision({ allowed: false, retryAfterMs: 1 }));
    expect(tiny['retry-after']).toBe('1');
  });

  it('writes the legacy X-RateLimit headers, the reset as Unix seconds', () => {
    const clock = { now: () => START };
    expect(rateLimitHeaders(decision({ resetMs: 1_500 }), { format: 'legacy', clock })).toEqual({
      'x-ratelimit-limit': '60',
      'x-ratelimit-remaining': '59',
      'x-ratelimit-reset': String(Math.ceil((START + 1_500) / 1000)),
    });
    const both = rateLimitHeaders(decision({}), { format: 'both', clock });
    expect(Object.keys(both).sort()).toEqual([
      'ratelimit',
      'ratelimit-policy',
      'x-ratelimit-limit',
      'x-ratelimit-remaining',
      'x-ratelimit-reset',
    ]);
  });

  it('quotes names as sf-strings, escaping what needs it', () => {
    const headers = rateLimitHeaders(decision({ policies: [policy({ name: 'a"b\\c' })] }));
    expect(headers['ratelimit-policy']).toBe('"a\\"b\\\\c";q=60;w=60');
  });

  it('describes a real decision of a limiter', async () => {
    let now = START;
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 2, windowMs: 1_000, algorithm: 'fixed-window' }],
      clock: { now: () => now },
    });
    await limiter.consume('a');
    now += 400;
    await limiter.consume('a');
    const rejected = await limiter.consume('a');
    expect(rateLimitHeaders(rejected)).toEqual({
      'ratelimit-policy': '"second";q=2;w=1',
      ratelimit: '"second";r=0;t=1',
      'retry-after': '1',
    });
  });
});
