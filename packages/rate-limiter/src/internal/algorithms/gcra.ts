import { type CompiledLimit, ceilDivide } from './common.ts';

// GCRA state: the theoretical arrival time (TAT) as whole milliseconds `s[o]` plus `s[o + 1]`
// ticks of 1/limit ms, so the emission interval `windowMs / limit` is exact: `windowMs` ticks.
// A call of `cost` fits when TAT + cost × interval − now ≤ burst × interval.

/** Brings the TAT to at least `now` (an idle key) and tells whether `cost` fits. */
export function checkGcra(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
): boolean {
  const rate = limit.limit;
  let ms = s[o] as number;
  let ticks = s[o + 1] as number;
  if (ticks >= rate) {
    ms += 1; // the limit was lowered since this was stored: round up, never admit more
    ticks = 0;
  }
  if (ms < now || (ms === now && ticks === 0)) {
    ms = now;
    ticks = 0;
  }
  s[o] = ms;
  s[o + 1] = ticks;
  return (ms - now) * rate + ticks + cost * limit.windowMs <= limit.capacity * limit.windowMs;
}

/** Moves the TAT `cost` intervals later. */
export function chargeGcra(limit: CompiledLimit, s: number[], o: number, cost: number): void {
  const rate = limit.limit;
  const total = (s[o + 1] as number) + cost * limit.windowMs;
  const carry = Math.floor(total / rate);
  s[o] = (s[o] as number) + carry;
  s[o + 1] = total - carry * rate;
}

/** Moves the TAT `cost` intervals earlier, never before `now`. */
export function giveBackGcra(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
): void {
  const rate = limit.limit;
  const delay = ((s[o] as number) - now) * rate + (s[o + 1] as number) - cost * limit.windowMs;
  const whole = delay <= 0 ? 0 : Math.floor(delay / rate);
  s[o] = now + whole;
  s[o + 1] = delay <= 0 ? 0 : delay - whole * rate;
}

/** Writes remaining, reset, retry and refill at `out[at + 1…4]`; returns the reset time. */
export function describeGcra(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  asked: number,
  admitted: boolean,
  out: number[],
  at: number,
): number {
  const rate = limit.limit;
  const windowMs = limit.windowMs;
  const ms = s[o] as number;
  const ticks = s[o + 1] as number;
  const full = limit.capacity * windowMs;
  const delay = (ms - now) * rate + ticks;
  const left = Math.floor((full - delay) / windowMs);
  const remaining = Math.max(left, 0);
  const reset = ms < now ? 0 : ms - now + (ticks > 0 ? 1 : 0);
  const excess = delay + asked * windowMs - full;
  out[at + 1] = remaining;
  out[at + 2] = reset;
  out[at + 3] = admitted || excess <= 0 ? 0 : ceilDivide(excess, rate);
  out[at + 4] =
    remaining >= limit.capacity ? 0 : ceilDivide(delay + (remaining + 1) * windowMs - full, rate);
  return reset;
}
