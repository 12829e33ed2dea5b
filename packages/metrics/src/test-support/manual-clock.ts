import type { Clock } from '../types.ts';

/** A clock tests move by hand. */
export interface ManualClock extends Clock {
  advance(milliseconds: number): void;
}

export function manualClock(startMs = 1_000): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance(milliseconds) {
      now += milliseconds;
    },
  };
}
