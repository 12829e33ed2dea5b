import { afterEach, describe, expect, it, vi } from 'vitest';
import { createRateLimiter } from './index.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('the default clock', () => {
  it('is read at each call: fake timers installed after creation move the windows', async () => {
    const limiter = createRateLimiter({
      limits: [{ name: 'second', limit: 1, windowMs: 1_000, algorithm: 'fixed-window' }],
    });
    vi.useFakeTimers({ now: 1_750_000_020_000 });
    expect((await limiter.consume('a')).allowed).toBe(true);
    expect((await limiter.consume('a')).allowed).toBe(false);
    await vi.advanceTimersByTimeAsync(1_000);
    expect((await limiter.consume('a')).allowed).toBe(true);
    await limiter.close();
  });
});
