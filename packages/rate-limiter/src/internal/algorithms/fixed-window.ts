import type { CompiledLimit } from './common.ts';

// Fixed-window state: the start of the window (aligned to multiples of `windowMs` since the
// epoch) in `s[o]`, the units counted in it in `s[o + 1]`.

/**
 * Moves a fixed or sliding window to `now` in place (a sliding window keeps the count of the
 * window just ended as its previous count, `s[o + 2]`); returns the effective time: `now`,
 * or the window's own start when the clock went backwards.
 */
export function rollWindow(
  s: number[],
  o: number,
  now: number,
  windowMs: number,
  sliding: boolean,
): number {
  const start = s[o] as number;
  const time = Math.max(start, now);
  const current = Math.floor(time / windowMs) * windowMs;
  if (start !== current) {
    if (sliding) s[o + 2] = start === current - windowMs ? (s[o + 1] as number) : 0;
    s[o + 1] = 0;
    s[o] = current;
  }
  return time;
}

/** Moves to the current window and tells whether `cost` fits in it. */
export function checkFixedWindow(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
): boolean {
  rollWindow(s, o, now, limit.windowMs, false);
  return (s[o + 1] as number) + cost <= limit.limit;
}

/** Counts `cost` in the current window, of a fixed or a sliding window. */
export function chargeWindow(s: number[], o: number, cost: number): void {
  s[o + 1] = (s[o + 1] as number) + cost;
}

/** Uncounts `cost` from the current window, never below zero. */
export function giveBackFixedWindow(s: number[], o: number, cost: number): void {
  const count = s[o + 1] as number;
  s[o + 1] = count > cost ? count - cost : 0;
}

/** Writes remaining, reset, retry and refill at `out[at + 1…4]`; returns the reset time. */
export function describeFixedWindow(
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
  const start = s[o] as number;
  const time = Math.max(start, now);
  const count = s[o + 1] as number;
  const remaining = count < rate ? rate - count : 0;
  const untilNext = start + limit.windowMs - time;
  const reset = count > 0 ? untilNext : 0;
  out[at + 1] = remaining;
  out[at + 2] = reset;
  out[at + 3] = admitted || count + asked <= rate ? 0 : untilNext;
  out[at + 4] = remaining >= rate ? 0 : untilNext;
  return reset;
}
