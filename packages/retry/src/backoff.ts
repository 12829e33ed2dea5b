import { MAX_TIMER_DELAY_MS, nonNegativeDurationMsSchema, parseOptions } from '@rampart/errors';
import * as z from 'zod';

/**
 * A backoff strategy: how long to wait before retry number `attempt` (1 for the first retry),
 * given the delay that preceded the previous retry (0 before the first one). Returns
 * milliseconds: a finite number, at least 0.
 *
 * Any function of this shape works; the built-in ones are on {@link backoff}.
 */
export type Backoff = (attempt: number, previousDelayMs: number) => number;

/** A source of uniformly distributed numbers in `[0, 1)`, like `Math.random`. */
export type RandomSource = () => number;

/** Options of the exponential strategies: {@link BackoffStrategies.fullJitter}, … */
export interface ExponentialBackoffOptions {
  /**
   * The delay before the first retry (its ceiling, for the jittered strategies).
   * @default `100` — long enough for a blip to pass, short enough to stay invisible to users.
   */
  readonly baseMs?: number;
  /**
   * The longest delay the strategy returns.
   * @default `10_000` — beyond 10 s a caller is usually better served by an error.
   */
  readonly maxMs?: number;
  /**
   * The growth of the delay (ceiling) per retry: `baseMs × multiplier^(attempt − 1)`.
   * @default `2` — doubling, the classic exponential backoff.
   */
  readonly multiplier?: number;
}

/** Options of the jittered strategies: exponential options plus the source of randomness. */
export interface JitterBackoffOptions extends ExponentialBackoffOptions {
  /**
   * Where the jitter comes from; inject a seeded or fixed source in tests and simulations.
   * @default `Math.random`
   */
  readonly random?: RandomSource;
}

/** Options of {@link BackoffStrategies.decorrelatedJitter}. */
export interface DecorrelatedJitterBackoffOptions {
  /**
   * The shortest delay, and the previous delay assumed before the first retry.
   * @default `100` — as for the exponential strategies.
   */
  readonly baseMs?: number;
  /**
   * The longest delay.
   * @default `10_000` — as for the exponential strategies.
   */
  readonly maxMs?: number;
  /**
   * Each delay is drawn from `[baseMs, previousDelayMs × multiplier]`.
   * @default `3` — the value of the AWS Architecture Blog's analysis.
   */
  readonly multiplier?: number;
  /**
   * Where the jitter comes from.
   * @default `Math.random`
   */
  readonly random?: RandomSource;
}

/** Options of {@link BackoffStrategies.constant}. */
export interface ConstantBackoffOptions {
  /** The delay before every retry; 0 retries at once. */
  readonly delayMs: number;
}

/** The built-in strategies, each a factory of a {@link Backoff}. */
export interface BackoffStrategies {
  /**
   * Full jitter: a uniformly random delay in `[0, min(maxMs, baseMs × multiplier^(attempt − 1))]`.
   * Spreads the retries of many clients best, so they make the fewest calls in total; the
   * default strategy.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
   * @example
   * ```ts
   * const policy = createRetryPolicy({ backoff: backoff.fullJitter({ baseMs: 50, maxMs: 2_000 }) });
   * ```
   */
  readonly fullJitter: (options?: JitterBackoffOptions) => Backoff;
  /**
   * Equal jitter: half the exponential ceiling plus a random half, so in
   * `[ceiling / 2, ceiling]`. Never retries almost at once, at the cost of more total waiting.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
   * @example
   * ```ts
   * const policy = createRetryPolicy({ backoff: backoff.equalJitter({ baseMs: 200 }) });
   * ```
   */
  readonly equalJitter: (options?: JitterBackoffOptions) => Backoff;
  /**
   * Decorrelated jitter: a random delay in `[baseMs, previousDelayMs × multiplier]`, capped by
   * `maxMs`; each delay grows from the one before rather than from the attempt number.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
   * @example
   * ```ts
   * const policy = createRetryPolicy({ backoff: backoff.decorrelatedJitter({ maxMs: 5_000 }) });
   * ```
   */
  readonly decorrelatedJitter: (options?: DecorrelatedJitterBackoffOptions) => Backoff;
  /**
   * Plain exponential backoff without jitter: `min(maxMs, baseMs × multiplier^(attempt − 1))`.
   * Clients that failed together retry together; prefer a jittered strategy.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
   * @example
   * ```ts
   * const policy = createRetryPolicy({ backoff: backoff.exponential({ baseMs: 100, multiplier: 3 }) });
   * ```
   */
  readonly exponential: (options?: ExponentialBackoffOptions) => Backoff;
  /**
   * The same delay before every retry.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `delayMs` is missing or invalid.
   * @example
   * ```ts
   * const policy = createRetryPolicy({ backoff: backoff.constant({ delayMs: 250 }) });
   * ```
   */
  readonly constant: (options: ConstantBackoffOptions) => Backoff;
}

/** The longest delay `setTimeout` can hold (about 24.8 days). */
export const MAX_TIMER_MS: number = MAX_TIMER_DELAY_MS;

const delay = nonNegativeDurationMsSchema;
const multiplier = (minimum: number) => {
  const message = `must be a finite number from ${minimum} to 1000`;
  return z
    .number({ error: message })
    .gte(minimum, { error: message })
    .lte(1_000, { error: message });
};
const random = z.custom<RandomSource>((value) => typeof value === 'function', {
  error: 'must be a function returning a number in [0, 1)',
});

function withOrderedBounds<Shape extends z.ZodRawShape>(shape: Shape) {
  return z
    .strictObject(shape)
    .superRefine((value, context) => {
      const { baseMs, maxMs } = value as { baseMs?: number; maxMs?: number };
      if (maxMs !== undefined && maxMs < (baseMs ?? 100)) {
        context.addIssue({
          code: 'custom',
          path: ['maxMs'],
          message: `must be at least \`baseMs\` (${baseMs ?? 100})`,
          input: maxMs,
        });
      }
    })
    .optional();
}

const exponentialSchema = withOrderedBounds({
  baseMs: delay.optional(),
  maxMs: delay.optional(),
  multiplier: multiplier(1).optional(),
});

const jitterSchema = withOrderedBounds({
  baseMs: delay.optional(),
  maxMs: delay.optional(),
  multiplier: multiplier(1).optional(),
  random: random.optional(),
});

const constantSchema = z.strictObject({ delayMs: delay });

/** Looks `Math.random` up at each draw, so a stub installed later is honoured. */
const mathRandom: RandomSource = () => Math.random();

interface Exponential {
  readonly baseMs: number;
  readonly maxMs: number;
  readonly multiplier: number;
  readonly random: RandomSource;
}

function parseExponential(input: unknown, where: string): Exponential {
  const options: { [Key in keyof JitterBackoffOptions]?: JitterBackoffOptions[Key] | undefined } =
    where === 'backoff.exponential'
      ? (parseOptions(exponentialSchema, input, where) ?? {})
      : (parseOptions(jitterSchema, input, where) ?? {});
  return {
    baseMs: options.baseMs ?? 100,
    maxMs: options.maxMs ?? 10_000,
    multiplier: options.multiplier ?? 2,
    random: options.random ?? mathRandom,
  };
}

/** `min(maxMs, baseMs × multiplier^(attempt − 1))`, finite even for huge attempts. */
function ceiling({ baseMs, maxMs, multiplier }: Exponential, attempt: number): number {
  if (baseMs === 0) return 0; // 0 × Infinity would be NaN
  const grown = baseMs * multiplier ** Math.max(0, attempt - 1);
  return grown < maxMs ? grown : maxMs;
}

/** A whole number of milliseconds drawn uniformly from `[low, high]`, clamped to it. */
function between(low: number, high: number, random: RandomSource): number {
  const lower = Math.ceil(low);
  const upper = Math.floor(high);
  if (upper <= lower) return Math.min(lower, upper);
  const drawn = lower + Math.floor(random() * (upper - lower + 1));
  if (!(drawn >= lower)) return lower; // NaN or below: a broken random source
  return Math.min(drawn, upper);
}

function fullJitter(options?: JitterBackoffOptions): Backoff {
  const settings = parseExponential(options, 'backoff.fullJitter');
  return (attempt) => between(0, ceiling(settings, attempt), settings.random);
}

function equalJitter(options?: JitterBackoffOptions): Backoff {
  const settings = parseExponential(options, 'backoff.equalJitter');
  return (attempt) => {
    const top = ceiling(settings, attempt);
    return between(top / 2, top, settings.random);
  };
}

function decorrelatedJitter(options?: DecorrelatedJitterBackoffOptions): Backoff {
  const parsed = parseOptions(jitterSchema, options, 'backoff.decorrelatedJitter') ?? {};
  const baseMs = parsed.baseMs ?? 100;
  const maxMs = parsed.maxMs ?? 10_000;
  const factor = parsed.multiplier ?? 3;
  const source = parsed.random ?? mathRandom;
  const low = Math.min(baseMs, maxMs);
  return (_attempt, previousDelayMs) => {
    const previous = Math.max(previousDelayMs, low);
    const high = Math.min(maxMs, previous * factor);
    return between(low, high, source);
  };
}

function exponential(options?: ExponentialBackoffOptions): Backoff {
  const settings = parseExponential(options, 'backoff.exponential');
  return (attempt) => Math.round(ceiling(settings, attempt));
}

function constant(options: ConstantBackoffOptions): Backoff {
  const { delayMs } = parseOptions(constantSchema, options, 'backoff.constant');
  return () => delayMs;
}

/**
 * The built-in backoff strategies. Each call returns a {@link Backoff} to pass as a policy's
 * `backoff`; the jittered ones take an injectable `random` source.
 *
 * @example
 * ```ts
 * import { backoff, createRetryPolicy } from '@rampart/retry';
 *
 * const payments = createRetryPolicy({
 *   name: 'payments',
 *   backoff: backoff.fullJitter({ baseMs: 100, maxMs: 5_000 }),
 * });
 * ```
 */
export const backoff: BackoffStrategies = Object.freeze({
  fullJitter,
  equalJitter,
  decorrelatedJitter,
  exponential,
  constant,
});
