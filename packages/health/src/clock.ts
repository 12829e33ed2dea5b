/** A source of the current time in milliseconds, injectable for tests. */
export interface Clock {
  /** The current time in milliseconds since the epoch. */
  now(): number;
}

/** Reads `Date.now()` at each call, so fake timers installed later still apply. */
export const systemClock: Clock = Object.freeze({ now: () => Date.now() });
