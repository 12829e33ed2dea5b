/**
 * A source of time in milliseconds. Inject one in tests to control timestamps and durations
 * without real waiting.
 */
export interface Clock {
  /** The current time in milliseconds. */
  now(): number;
}
