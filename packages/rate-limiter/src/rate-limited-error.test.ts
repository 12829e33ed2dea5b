import { RateLimitedError, toProblem, toProblemResponse, ValidationError } from '@rampart/errors';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './index.ts';
import { rateLimitedError } from './rate-limited-error.ts';

const START = 1_749_999_600_000; // a multiple of an hour: hour windows start here

describe('rateLimitedError', () => {
  it('describes the violated policies and the wait, never the key', async () => {
    let now = START;
    const limiter = createRateLimiter({
      limits: [
        { name: 'second', limit: 1, windowMs: 1_000, algorithm: 'fixed-window' },
        { name: 'hour', limit: 1, windowMs: 3_600_000, algorithm: 'fixed-window' },
        { name: 'day', limit: 10, windowMs: 86_400_000 },
      ],
      clock: { now: () => now },
    });
    await limiter.consume('secret-user');
    now += 1;
    const error = rateLimitedError(await limiter.consume('secret-user'));
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error.message).toBe(
      'Too many requests: "second" allows 1 per second, "hour" allows 1 per hour; retry in 3600 s',
    );
    expect(error.message).not.toContain('secret-user');
    expect(error.retryAfterMs).toBe(3_599_999);
    expect(error.policies).toEqual([
      { name: 'second', limit: 1, windowMs: 1_000 },
      { name: 'hour', limit: 1, windowMs: 3_600_000 },
    ]);
  });

  it('becomes a 429 problem with retryAfterMs, the violated policies and Retry-After', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'minute', limit: 1, windowMs: 90_000, algorithm: 'fixed-window' }],
      clock: { now: () => START },
    });
    await limiter.consume('a');
    const error = rateLimitedError(await limiter.consume('a'));
    const problem = toProblem(error);
    expect(problem).toMatchObject({
      status: 429,
      code: 'E_RATE_LIMITED',
      'violated-policies': ['minute'],
    });
    expect(problem.detail).toMatch(/"minute" allows 1 per 90 seconds/);
    expect(problem.retryAfterMs).toBe(error.retryAfterMs);
    expect(toProblemResponse(error).headers['retry-after']).toBe(
      String(Math.ceil((error.retryAfterMs ?? 0) / 1000)),
    );
  });

  it('refuses an allowed decision, a shadow one included, with a ValidationError', async () => {
    const limiter = createRateLimiter({ clock: { now: () => START } });
    const allowed = await limiter.consume('a');
    expect(() => rateLimitedError(allowed)).toThrow(ValidationError);
    expect(() => rateLimitedError(allowed)).toThrow(/`decision.allowed` must be false/);
    const shadow = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000 }],
      shadow: true,
      clock: { now: () => START },
    });
    await shadow.consume('a');
    const shadowed = await shadow.consume('a');
    expect(shadowed).toMatchObject({ allowed: true, source: 'shadow' });
    expect(() => rateLimitedError(shadowed)).toThrow(ValidationError);
  });

  it('refuses what is not a decision with a ValidationError, not a TypeError', () => {
    for (const bad of [undefined, null, 42, {}, { allowed: false }]) {
      expect(() => rateLimitedError(bad as never)).toThrow(ValidationError);
    }
  });

  it('words odd windows plainly', async () => {
    for (const [windowMs, words] of [
      [250, '250 ms'],
      [1_500, '1500 ms'],
      [120_000, '2 minutes'],
      [86_400_000, 'day'],
    ] as const) {
      const limiter = createRateLimiter({
        limits: [{ name: 'w', limit: 1, windowMs, algorithm: 'fixed-window' }],
        clock: { now: () => START },
      });
      await limiter.consume('a');
      expect(rateLimitedError(await limiter.consume('a')).message).toContain(`per ${words};`);
    }
  });
});
