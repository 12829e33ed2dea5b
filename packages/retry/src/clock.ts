/** A source of the current time in milliseconds, injectable for tests and simulations. */
export interface Clock {
  /** Milliseconds since a fixed origin; `Date.now()` by default. */
  now(): number;
}

/** Reads `Date.now()` at each call, so fake timers installed later are honoured. */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() });
