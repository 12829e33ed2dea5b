import type { RampartError } from '@rampart/errors';
import type { DecisionSource } from './decision.ts';

/**
 * The `node:diagnostics_channel` channels a rate limiter publishes on. Publishing is
 * skipped while a channel has no subscribers, so an unobserved limiter pays nothing.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { rateLimiterChannels, type RateLimiterDecisionEvent } from '@rampart/rate-limiter';
 *
 * subscribe(rateLimiterChannels.decision, (message) => {
 *   const event = message as RateLimiterDecisionEvent;
 *   if (!event.allowed) console.warn(`${event.name}: ${event.policy} rejected a call`);
 * });
 * ```
 */
export const rateLimiterChannels: {
  /** Every `consume` decision: {@link RateLimiterDecisionEvent}. */
  readonly decision: 'rampart:rate-limiter:decision';
  /** A store call failed or missed its deadline: {@link RateLimiterStoreErrorEvent}. */
  readonly storeError: 'rampart:rate-limiter:store-error';
  /** The limiter stopped calling its store, or returned to it: {@link RateLimiterFallbackEvent}. */
  readonly fallback: 'rampart:rate-limiter:fallback';
  /**
   * The store's guard changed state (`healthy`, `cooling-down`, `probing`): a
   * {@link @rampart/redis!StoreStateEvent | StoreStateEvent}, the same payload as the
   * cache's `storeState` channel.
   */
  readonly storeState: 'rampart:rate-limiter:store-state';
} = Object.freeze({
  decision: 'rampart:rate-limiter:decision',
  storeError: 'rampart:rate-limiter:store-error',
  fallback: 'rampart:rate-limiter:fallback',
  storeState: 'rampart:rate-limiter:store-state',
} as const);

/**
 * Published on {@link rateLimiterChannels}.decision for every `consume`. Every field but
 * `key` is low-cardinality, fit for metric labels; drop `key` where keys are personal data.
 *
 * @group Events
 */
export interface RateLimiterDecisionEvent {
  /** The limiter's `name`. */
  readonly name: string;
  /** Whether the call was let through. */
  readonly allowed: boolean;
  /** Who answered. */
  readonly source: DecisionSource;
  /** The deciding policy's name (see `RateLimitDecision.limit`). */
  readonly policy: string;
  /** Names of the policies that rejected the call (also in shadow mode, where it is let through). */
  readonly violatedPolicies: readonly string[];
  /** Units asked for. */
  readonly cost: number;
  /** Units remaining on the deciding policy. */
  readonly remaining: number;
  /** Until the call would be admitted (0 when admitted). */
  readonly retryAfterMs: number;
  /** The caller's key: high-cardinality and possibly personal; kept apart so you can drop it. */
  readonly key: string;
}

/** Which limiter call reached the store. */
export type StoreOperation = 'consume' | 'peek' | 'reward' | 'reset';

/**
 * Published on {@link rateLimiterChannels}.storeError when a store call fails or times out.
 *
 * @group Events
 */
export interface RateLimiterStoreErrorEvent {
  /** The limiter's `name`. */
  readonly name: string;
  /** The limiter call that reached the store. */
  readonly operation: StoreOperation;
  /** The failure: a `TimeoutError` past `storeGuard.timeoutMs`, else an `UnavailableError` (the client's error is its `cause`). */
  readonly error: RampartError;
  /** The failure's Rampart code, e.g. `E_TIMEOUT`. */
  readonly code: string;
  /** Failures in a row, this one included. */
  readonly consecutiveFailures: number;
  /** The caller's key; drop it where keys are personal data. */
  readonly key: string;
}

/** What the limiter does when its store fails: see `RateLimiterOptions.onStoreError`. */
export type StoreErrorPolicy = 'fallback' | 'allow' | 'deny';

/**
 * Published on {@link rateLimiterChannels}.fallback when the limiter stops calling its store
 * after repeated failures (`active: true`) and when a probe finds it healthy again
 * (`active: false`).
 *
 * @group Events
 */
export interface RateLimiterFallbackEvent {
  /** The limiter's `name`. */
  readonly name: string;
  /** `true`: the store is skipped and `policy` answers; `false`: the store answers again. */
  readonly active: boolean;
  /** What answers while the store is skipped. */
  readonly policy: StoreErrorPolicy;
  /** Failures in a row that led here (0 on recovery). */
  readonly consecutiveFailures: number;
  /** How long the store is skipped before the next probe. */
  readonly coolDownMs: number;
  /** The failure that opened the fallback (absent on recovery). */
  readonly error?: RampartError;
  /** Its Rampart code (absent on recovery). */
  readonly code?: string;
}
