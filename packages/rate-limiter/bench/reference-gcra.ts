/**
 * A measuring stick for memory.bench.ts, not a limiter to use: one GCRA limit, written out in
 * one function with nothing else (no validation, no other algorithms, no several limits, no
 * eviction, no events), resolving the same decision object as `createRateLimiter`. Its speed is
 * about the best any limiter with Rampart's decisions can reach in this benchmark.
 */
import type { RateLimitDecision } from '../src/index.ts';

interface State {
  /** The theoretical arrival time in whole ms, plus `ticks` of 1/limit ms. */
  ms: number;
  ticks: number;
  expiresAt: number;
}

const ceilDivide = (numerator: number, denominator: number): number => {
  const quotient = Math.floor(numerator / denominator);
  return quotient * denominator < numerator ? quotient + 1 : quotient;
};

/** `consume(key)` of one GCRA limit of `limit` per `windowMs`, burst `limit`. */
export function referenceGcra(
  name: string,
  limit: number,
  windowMs: number,
): (key: string) => Promise<RateLimitDecision> {
  const states = new Map<string, State>();
  const full = limit * windowMs;
  return (key) => {
    const now = Date.now();
    const state = states.get(key);
    let ms = now;
    let ticks = 0;
    if (state !== undefined && state.expiresAt > now && state.ms >= now) {
      ms = state.ms;
      ticks = state.ticks;
    }
    const allowed = (ms - now) * limit + ticks + windowMs <= full;
    if (allowed) {
      const total = ticks + windowMs;
      const carry = Math.floor(total / limit);
      ms += carry;
      ticks = total - carry * limit;
    }
    const delay = (ms - now) * limit + ticks;
    const remaining = Math.max(Math.floor((full - delay) / windowMs), 0);
    const resetMs = ms - now + (ticks > 0 ? 1 : 0);
    const excess = delay + windowMs - full;
    const retryAfterMs = allowed || excess <= 0 ? 0 : ceilDivide(excess, limit);
    const refillMs =
      remaining >= limit ? 0 : ceilDivide(delay + (remaining + 1) * windowMs - full, limit);
    if (state === undefined) {
      states.set(key, { ms, ticks, expiresAt: now + resetMs });
    } else {
      state.ms = ms;
      state.ticks = ticks;
      state.expiresAt = now + resetMs;
    }
    const policy = {
      name,
      algorithm: 'gcra' as const,
      limit,
      windowMs,
      allowed,
      remaining,
      resetMs,
      retryAfterMs,
      refillMs,
    };
    return Promise.resolve({
      allowed,
      key,
      cost: 1,
      policy: name,
      limit,
      remaining,
      resetMs,
      retryAfterMs,
      policies: [policy],
      source: 'store' as const,
    });
  };
}
