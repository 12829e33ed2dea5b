import type { ResolvedLimit } from './limits.ts';

/**
 * What a limiter asks a store: apply `cost` to every limit of one caller, at `nowMs` when
 * given. Stores receive validated input: a non-empty key, a positive integer cost no larger
 * than any limit's capacity.
 *
 * @group Store implementers
 */
export interface StoreRequest {
  /** The limiter's key prefix (no `{` or `}`), e.g. `rampart:rl:`. */
  readonly prefix: string;
  /** The caller's key, e.g. a user id or {@link ipKey}'s result. */
  readonly key: string;
  /** Every limit of the limiter, in order; the outcome lists them in the same order. */
  readonly limits: readonly ResolvedLimit[];
  /** Units to consume, to ask about (peek) or to give back (reward). */
  readonly cost: number;
  /**
   * The time of the decision in milliseconds since the epoch. Stores with their own clock
   * (`timeSource: 'store'`, e.g. Redis `TIME`) use it only when given; the conformance
   * suite always gives it so it can control time.
   */
  readonly nowMs?: number | undefined;
}

/**
 * The part of a {@link StoreRequest} that {@link RateLimitStore.reset} needs.
 *
 * @group Store implementers
 */
export type StoreResetRequest = Omit<StoreRequest, 'cost'>;

/**
 * How one limit answered a store operation. All durations are whole milliseconds.
 *
 * @group Store implementers
 */
export interface LimitOutcome {
  /** Whether this limit admits the cost (after a reward: whether one unit fits). */
  readonly allowed: boolean;
  /** Units that fit right now, after this operation. */
  readonly remaining: number;
  /** Until the limit is back to its full, never-seen state (0 when it is). */
  readonly resetMs: number;
  /** Until the asked cost fits (0 when it fits or was admitted). */
  readonly retryAfterMs: number;
  /** Until `remaining` next grows (0 when it is at capacity). */
  readonly refillMs: number;
}

/**
 * How all limits of a caller answered one store operation.
 *
 * @group Store implementers
 */
export interface StoreOutcome {
  /** Whether every limit admits the cost: a consume was charged to all limits, or to none. */
  readonly allowed: boolean;
  /** One outcome per limit, in the request's order. */
  readonly limits: readonly LimitOutcome[];
}

/**
 * Where a limiter keeps its counts. {@link memoryStore} and `redisStore` (from
 * `@rampart/rate-limiter/redis`) implement it; a store of your own must give the same
 * decisions as {@link memoryStore}, which `@rampart/rate-limiter/test-suite` checks.
 * Failures must reject (any error: the limiter maps them to its failure policy).
 *
 * @group Store implementers
 */
export interface RateLimitStore {
  /**
   * Whose clock decides: `'caller'` stores need {@link StoreRequest.nowMs} (the limiter
   * passes its `clock`); `'store'` stores keep their own time (Redis `TIME`, so app servers
   * with skewed clocks agree) and use `nowMs` only when it is given.
   */
  readonly timeSource: 'caller' | 'store';
  /** Charges `cost` to every limit if all of them admit it, else to none. */
  consume(request: StoreRequest): Promise<StoreOutcome>;
  /** Asks whether `cost` would fit now, changing nothing. */
  peek(request: StoreRequest): Promise<StoreOutcome>;
  /** Gives `cost` units back to every limit (never beyond a fresh key); `allowed` then says whether one unit fits. */
  reward(request: StoreRequest): Promise<StoreOutcome>;
  /** Forgets the caller on every limit. */
  reset(request: StoreResetRequest): Promise<void>;
  /** Releases what the store owns (a store never closes a client it was given). */
  close(): Promise<void>;
  /**
   * A cheap health check (Redis `PING`). When present, the limiter probes with it on a timer
   * as soon as a cool-down ends, so `limiter.state()` is current without a call; without it,
   * the first call after the cool-down is the probe.
   */
  ping?(signal: AbortSignal): Promise<void>;
}
