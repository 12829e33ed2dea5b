/**
 * A source of the current time in milliseconds, injectable so tests control time.
 *
 * @remarks
 * Every Rampart package that reads the time takes a `clock` option of this type; pass the
 * same object to all of them. Only `now()` is called, and only while working, so an object
 * whose time you move by hand works as well as fake timers.
 */
export interface Clock {
  /** The current time in milliseconds (any fixed origin; only differences matter to most callers). */
  now(): number;
}

/**
 * The default {@link Clock}: reads `Date.now()` each time it is called.
 *
 * @remarks
 * It is late-bound: `Date.now` is looked up on every call, not captured when a component is
 * created, so fake timers installed after creation (`vi.useFakeTimers()`) still move it.
 *
 * @example
 * ```ts
 * import { systemClock } from '@rampart/errors';
 *
 * const startedAt = systemClock.now();
 * ```
 */
export const systemClock: Clock = Object.freeze({
  now: (): number => Date.now(),
});

/** Whether a value has a callable `now` member; never throws on a hostile object. */
export function isClock(value: unknown): value is Clock {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as { now?: unknown }).now === 'function';
  } catch {
    return false;
  }
}
