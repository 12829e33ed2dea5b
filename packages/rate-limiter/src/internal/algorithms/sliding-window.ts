import type { CompiledLimit } from './common.ts';
import { rollWindow } from './fixed-window.ts';

// Sliding-window state: the current window's start `s[o]`, its count `s[o + 1]` and the
// previous window's count `s[o + 2]`. The usage at `elapsed` ms into the window is
// `previous × (windowMs − elapsed) / windowMs + current`, compared scaled by `windowMs` so
// everything stays an integer.

/** Milliseconds from `time` until `cost` units fit (0 when they fit now), with no other calls. */
export function slidingWait(
  start: number,
  current: number,
  previous: number,
  time: number,
  cost: number,
  rate: number,
  windowMs: number,
): number {
  const used = previous * (windowMs - (time - start)) + current * windowMs;
  if (used + cost * windowMs <= rate * windowMs) return 0;
  if (previous > 0 && rate - current - cost >= 0) {
    // Still in this window, once enough of the previous window's weight has slid out.
    const keep = Math.floor(((rate - current - cost) * windowMs) / previous);
    if (keep >= 1) return start + windowMs - keep - time;
  }
  // In the next window, where this window's count becomes the previous one.
  let offset = 0;
  if (current > 0) {
    offset = Math.max(0, windowMs - Math.floor(((rate - cost) * windowMs) / current));
  }
  return start + windowMs + offset - time;
}

/** Moves to the current window and tells whether `cost` fits the weighted count. */
export function checkSlidingWindow(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
): boolean {
  const windowMs = limit.windowMs;
  const time = rollWindow(s, o, now, windowMs, true);
  const used =
    (s[o + 2] as number) * (windowMs - (time - (s[o] as number))) + (s[o + 1] as number) * windowMs;
  return used + cost * windowMs <= limit.limit * windowMs;
}

/** Uncounts `cost` from the current window, then from the previous one, never below zero. */
export function giveBackSlidingWindow(s: number[], o: number, cost: number): void {
  const current = (s[o + 1] as number) - cost;
  if (current < 0) {
    s[o + 2] = Math.max(0, (s[o + 2] as number) + current);
    s[o + 1] = 0;
  } else {
    s[o + 1] = current;
  }
}

/** Writes remaining, reset, retry and refill at `out[at + 1…4]`; returns the reset time. */
export function describeSlidingWindow(
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
  const start = s[o] as number;
  const time = Math.max(start, now);
  const current = s[o + 1] as number;
  const previous = s[o + 2] as number;
  const used = previous * (windowMs - (time - start)) + current * windowMs;
  const left = Math.floor((rate * windowMs - used) / windowMs);
  const remaining = Math.max(left, 0);
  const reset =
    current > 0 ? start + 2 * windowMs - time : previous > 0 ? start + windowMs - time : 0;
  out[at + 1] = remaining;
  out[at + 2] = reset;
  out[at + 3] = admitted ? 0 : slidingWait(start, current, previous, time, asked, rate, windowMs);
  out[at + 4] =
    remaining >= rate
      ? 0
      : slidingWait(start, current, previous, time, remaining + 1, rate, windowMs);
  return reset;
}
