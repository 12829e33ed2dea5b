import { type Clock, systemClock, UnavailableError } from '@rampart/errors';
import type { StoreGuardSettings, StoreHealth } from '@rampart/redis';
import type { StoreErrorPolicy } from './channels.ts';
import type { RateLimitDecision } from './decision.ts';
import { createWaitingRoom } from './internal/admission/waiting-room.ts';
import { createEngine, type Engine, type EngineSettings } from './internal/engine.ts';
import { layoutOf } from './internal/layout.ts';
import { parseRateLimiterOptions } from './internal/options.ts';
import { defaultLimits, type LimitDefinition, type ResolvedLimit } from './limits.ts';
import { memoryStore } from './memory-store.ts';
import type { RateLimitStore } from './store.ts';

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /**
   * Names the limiter in events, metrics labels and error messages.
   * @default `'rate-limiter'`
   */
  readonly name?: string | undefined;
  /**
   * The limits every call must pass, all or nothing: when any rejects, none is charged.
   * @default {@link defaultLimits} — 60 per minute and 1000 per hour, both GCRA.
   */
  readonly limits?: readonly LimitDefinition[] | undefined;
  /**
   * Where counts are kept: {@link memoryStore} for one process, `redisStore` from
   * `@rampart/rate-limiter/redis` to share limits between processes. The limiter never
   * closes a store you pass in.
   * @default `memoryStore()` — exact and fast, but counts only this process's calls.
   */
  readonly store?: RateLimitStore | undefined;
  /**
   * Prepended to every key in the store, so several limiters can share one; must not
   * contain `{` or `}` (the key becomes a Redis Cluster hash tag).
   * @default `'rampart:rl:'`
   */
  readonly prefix?: string | undefined;
  /**
   * What answers when the store fails, misses `storeGuard.timeoutMs` or is cooling down:
   * `'fallback'` (an in-memory limiter with the same limits), `'allow'` (fail open) or
   * `'deny'` (fail closed). Decisions made this way have `source: 'fallback'`.
   * @default `'fallback'` — callers stay limited (per process) and no outage of the store
   *   becomes an outage of your service.
   */
  readonly onStoreError?: StoreErrorPolicy | undefined;
  /**
   * The store guard, the same as the cache's `storeGuard`: every store call gets a deadline
   * (`timeoutMs`, past it `onStoreError` answers); after `failureThreshold` failures in a row
   * the store is skipped for `coolDownMs` (`onStoreError` answers at once); then one probe —
   * the store's `ping` on a timer, or else the next call — decides whether it is back.
   * {@link RateLimiter.state} reports where it stands. Durations must be below 2^31 ms.
   * Not used with the memory store, which cannot fail.
   * @default `{ timeoutMs: 50, failureThreshold: 3, coolDownMs: 1000 }` — 50 ms is far above a
   *   healthy Redis round trip (well under 1 ms on a LAN) and low enough that a hung Redis adds
   *   little latency; one stray timeout does not trip the guard; a dead store costs one probe
   *   per second, and recovery is noticed within a second.
   */
  readonly storeGuard?: StoreGuardSettings | undefined;
  /**
   * The deadline of every store call in milliseconds.
   * @deprecated Use `storeGuard.timeoutMs` (the same setting); setting both is an error.
   */
  readonly storeTimeoutMs?: number | undefined;
  /**
   * When to stop calling a failing store.
   * @deprecated Use `storeGuard.failureThreshold` and `storeGuard.coolDownMs` (the same
   *   settings); setting a field in both is an error.
   */
  readonly recovery?:
    | { readonly failureThreshold?: number | undefined; readonly coolDownMs?: number | undefined }
    | undefined;
  /**
   * Answers keys known to be blocked locally until their retry time, so a flood from one key
   * does not reach a remote store. `{ maxKeys }` bounds it. Not used with the memory store,
   * which is local already.
   * @default `true` — with `{ maxKeys: 10000 }`.
   */
  readonly blockCache?: boolean | { readonly maxKeys?: number | undefined } | undefined;
  /**
   * Computes and reports decisions but lets every call through: a rejected call comes back
   * with `allowed: true` and `source: 'shadow'` (and is not charged, as when enforced). Use
   * it to roll out limits safely.
   * @default `false`
   */
  readonly shadow?: boolean | undefined;
  /**
   * Bans a caller whose consume a limit rejects for this many milliseconds, as
   * rate-limiter-flexible's `blockDuration` does: until the ban ends every consume is
   * rejected and charges nothing, and the decision's `retryAfterMs` (hence `Retry-After`),
   * each policy's `retryAfterMs`, `refillMs` and `resetMs` are at least the ban's rest, with
   * nothing `remaining`.
   *
   * @remarks
   * A ban starts with the rejected consume and is not extended by the calls it rejects.
   * {@link RateLimiter.reset} lifts it; `reward` does not. With `redisStore` the ban lives in
   * Redis beside the caller's counts (same hash tag), checked and set by the same single
   * script call as the decision; with `memoryStore` it lives in the limiter (at most 100 000
   * banned keys at once; past that the oldest ban is dropped). Stores of your own cannot
   * keep bans. While the store fails, the fallback bans in memory.
   * @default `undefined` — no bans: a caller is admitted again as soon as the limits allow.
   */
  readonly blockDurationMs?: number | undefined;
  /**
   * The most consumes waiting for capacity (`maxWaitMs`) per key; past it a call that would
   * wait gets its rejection at once.
   * @default `100` — a burst of outbound calls to one API fits, a flood cannot pile up memory.
   */
  readonly maxWaitingPerKey?: number | undefined;
  /**
   * The time source of the memory stores, the block cache and the cool-down. A Redis store
   * uses Redis `TIME` instead.
   * @default {@link @rampart/errors!systemClock | systemClock} — `Date.now()`, read at each call.
   */
  readonly clock?: Clock | undefined;
}

/** Options of {@link RateLimiter.consume} and {@link RateLimiter.peek}. */
export interface ConsumeOptions {
  /**
   * Units the call costs.
   * @default `1`
   */
  readonly cost?: number | undefined;
  /**
   * Stops waiting for the store, or for capacity with `maxWaitMs`; the call then rejects with
   * the signal's reason.
   */
  readonly signal?: AbortSignal | undefined;
  /**
   * Consume only: waits up to this many milliseconds for capacity instead of being refused,
   * for outbound calls to a rate-limited API.
   *
   * @remarks
   * When the limits reject the call and their `retryAfterMs` fits, the call joins the key's
   * queue (first in, first out; at most `maxWaitingPerKey` waiters) and resolves with an
   * admitted decision once its turn comes and capacity allows, or with the key's latest
   * rejection as soon as the wait no longer fits: never later than `maxWaitMs` (plus the one
   * store call in flight then). Only the queue's head retries, so waiters cost no store calls;
   * a newcomer behind a queue peeks instead of consuming, so it never overtakes one. The
   * timers are not `unref()`ed: the caller is awaiting them. `signal` takes the call out of
   * the queue; `close()` rejects the waiters.
   * @default `undefined` — no waiting: a rejected decision comes back at once.
   */
  readonly maxWaitMs?: number | undefined;
}

/** Options of {@link RateLimiter.reward} and {@link RateLimiter.reset}. */
export interface CallOptions {
  /** Stops waiting for the store; the call then rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

/** A rate limiter made by {@link createRateLimiter}. */
export interface RateLimiter {
  /** The limiter's name. */
  readonly name: string;
  /** Its limits with defaults applied. */
  readonly limits: readonly ResolvedLimit[];
  /**
   * Charges `cost` (default 1) to every limit of `key` if all admit it, and resolves to the
   * decision, admitted or not. It never rejects because a key is limited or a store failed.
   * With `maxWaitMs` it waits for capacity when that fits (see {@link ConsumeOptions.maxWaitMs}).
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) for an empty key, a key that is not
   *   well-formed Unicode (a lone surrogate: Redis could not keep it apart from others), a
   *   cost that is not a positive integer or exceeds a limit's capacity, or a `maxWaitMs`
   *   that is not an integer from 0 to 2147483647.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} (as a rejection) after {@link RateLimiter.close}, and for a
   *   call still waiting for capacity when the limiter closes.
   */
  consume(key: string, options?: ConsumeOptions): Promise<RateLimitDecision>;
  /**
   * Tells whether `cost` (default 1) would be admitted now and how every limit stands,
   * charging nothing.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) for bad arguments, as `consume`.
   */
  peek(key: string, options?: ConsumeOptions): Promise<RateLimitDecision>;
  /**
   * Gives `cost` units back to every limit of `key` (e.g. the request turned out to be
   * cheap), never beyond a fresh key; resolves to how the key stands for one more unit.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) for bad arguments, as `consume`.
   */
  reward(key: string, cost: number, options?: CallOptions): Promise<RateLimitDecision>;
  /**
   * Forgets `key` on every limit, in the store, the fallback and the block cache.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) for an empty or ill-formed key.
   * @throws {@link @rampart/errors!TimeoutError | TimeoutError} (as a rejection) when the store misses `storeGuard.timeoutMs`;
   *   the fallback and the block cache are reset anyway.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} (as a rejection) when the store fails or is cooling down (it
   *   is then not called), or after `close()`.
   */
  reset(key: string, options?: CallOptions): Promise<void>;
  /**
   * The store's health now: `healthy`, `cooling-down` (calls skip it; `retryAfterMs` until
   * the next probe) or `probing`. Current without waiting for a call: a store with `ping`
   * is probed on a timer. A memory store is always healthy.
   */
  state(): StoreHealth;
  /**
   * Waits for calls in flight (each bounded by `storeGuard.timeoutMs`), then releases what the
   * limiter created (its default memory store, the fallback, the block cache). A store you
   * passed in is not closed. Later calls reject.
   */
  close(): Promise<void>;
  /** Same as {@link RateLimiter.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

function resolveLimit(limit: {
  name: string;
  limit: number;
  windowMs: number;
  algorithm?: ResolvedLimit['algorithm'] | undefined;
  burst?: number | undefined;
}): ResolvedLimit {
  const algorithm = limit.algorithm ?? 'gcra';
  const bucket = algorithm === 'gcra' || algorithm === 'token-bucket';
  return Object.freeze({
    name: limit.name,
    algorithm,
    limit: limit.limit,
    windowMs: limit.windowMs,
    capacity: bucket ? (limit.burst ?? limit.limit) : limit.limit,
  });
}

/**
 * Creates a rate limiter: exact GCRA, fixed-window, sliding-window or token-bucket limits,
 * several at once (all or nothing), in memory or in Redis (one round trip per decision),
 * with a deadline on every store call, a fallback when the store fails, a block cache for
 * floods and a shadow mode.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every invalid option, and when `blockDurationMs` is
 *   set with a store other than `memoryStore` or `redisStore`.
 * @example
 * ```ts
 * import { applyRateLimitHeaders, createRateLimiter } from '@rampart/rate-limiter';
 *
 * const limiter = createRateLimiter({
 *   limits: [
 *     { name: 'minute', limit: 60, windowMs: 60_000 },
 *     { name: 'hour', limit: 1000, windowMs: 3_600_000 },
 *   ],
 * });
 *
 * const decision = await limiter.consume(userId);
 * applyRateLimitHeaders(response, decision);
 * if (!decision.allowed) return response.writeHead(429).end();
 * ```
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const parsed = parseRateLimiterOptions(options);
  const limits = Object.freeze((parsed.limits ?? defaultLimits).map(resolveLimit));
  const ownsStore = parsed.store === undefined;
  const store = parsed.store ?? memoryStore();
  const blockCache = parsed.blockCache;
  const settings: EngineSettings = {
    name: parsed.name,
    prefix: parsed.prefix,
    limits,
    compiled: layoutOf(limits).limits,
    store,
    ownsStore,
    clock: parsed.clock ?? systemClock,
    onStoreError: parsed.onStoreError,
    storeGuard: parsed.storeGuard,
    blockCacheMaxKeys: blockCache === false ? 0 : blockCache === true ? 10_000 : blockCache.maxKeys,
    shadow: parsed.shadow,
    blockDurationMs: parsed.blockDurationMs ?? 0,
  };
  const engine: Engine = createEngine(settings);
  const clock = settings.clock;
  const room = createWaitingRoom(
    engine.consume,
    engine.consumeNow,
    engine.peek,
    parsed.maxWaitingPerKey,
    () => clock.now(),
    () => new UnavailableError(`${parsed.name} is closed`, { captureStack: false }),
  );
  const close = (): Promise<void> => {
    room.close();
    return engine.close();
  };
  return {
    name: parsed.name,
    limits,
    consume: (key, options) =>
      options?.maxWaitMs === undefined
        ? engine.consume(key, options)
        : room.consume(key, options as ConsumeOptions & { readonly maxWaitMs: number }),
    peek: engine.peek,
    reward: engine.reward,
    reset: engine.reset,
    state: engine.state,
    close,
    [Symbol.asyncDispose]: close,
  };
}
