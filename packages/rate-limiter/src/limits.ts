/**
 * How a limit counts: `gcra` (the default) keeps one value per key and knows the exact
 * retry time; `fixed-window` counts per aligned window; `sliding-window` weighs the previous
 * window's count by how much of it still overlaps; `token-bucket` refills a bucket
 * continuously (the same decisions as `gcra` with the same `burst`, stored as two values).
 */
export type RateLimitAlgorithm = 'gcra' | 'fixed-window' | 'sliding-window' | 'token-bucket';

/**
 * One limit as you configure it: at most `limit` units per `windowMs`, counted by
 * `algorithm`. A limiter applies all of its limits to every call, all or nothing.
 */
export interface LimitDefinition {
  /**
   * Names the limit in decisions, headers (`RateLimit-Policy`), events and Redis keys:
   * letters, digits, `_`, `.` and `-`, starting with a letter or digit, at most 64 characters.
   */
  readonly name: string;
  /** Units (requests, by default one per call) admitted per `windowMs`. */
  readonly limit: number;
  /** The window in milliseconds; any positive integer, sub-second windows included. */
  readonly windowMs: number;
  /**
   * How the limit counts.
   * @default `'gcra'` — exact, smooth, one stored value per key, and an exact retry time.
   */
  readonly algorithm?: RateLimitAlgorithm | undefined;
  /**
   * For `gcra` and `token-bucket`: the most units an idle key may spend at once (the bucket
   * size). After that, units come back at `limit` per `windowMs`, so no span of `windowMs`
   * ever admits more than `limit + burst - 1`. Set `burst: 1` for strictly evenly spaced
   * requests (never more than `limit` in any `windowMs`). Not allowed for the window algorithms.
   * @default limit — an idle key can use its whole limit at once, as with a fixed window, and is
   *   then paced evenly instead of waiting for a window boundary.
   */
  readonly burst?: number | undefined;
}

/** A limit with its defaults applied, as a store receives it. */
export interface ResolvedLimit {
  /** The limit's name. */
  readonly name: string;
  /** The algorithm that counts it. */
  readonly algorithm: RateLimitAlgorithm;
  /** Units per window. */
  readonly limit: number;
  /** The window in milliseconds. */
  readonly windowMs: number;
  /**
   * The most units one call may ever cost: `burst` for `gcra` and `token-bucket`, `limit`
   * for the window algorithms.
   */
  readonly capacity: number;
}

/**
 * The default limits: 60 per minute and 1000 per hour, both GCRA.
 */
export const defaultLimits: readonly LimitDefinition[] = Object.freeze([
  Object.freeze({ name: 'minute', limit: 60, windowMs: 60_000 }),
  Object.freeze({ name: 'hour', limit: 1000, windowMs: 3_600_000 }),
]);
