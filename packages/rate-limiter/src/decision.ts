import type { RateLimitAlgorithm } from './limits.ts';

/**
 * Who answered a decision: `'store'` (the configured store), `'fallback'` (the store failed
 * or is cooling down, and `onStoreError` answered), `'block-cache'` (the key is known to be
 * blocked, answered locally) or `'shadow'` (shadow mode let a call through that the limits
 * rejected).
 */
export type DecisionSource = 'store' | 'fallback' | 'block-cache' | 'shadow';

/** How one limit (policy) stands for the caller after a decision. Durations are whole ms. */
export interface PolicyDecision {
  /** The limit's name, e.g. `minute`. */
  readonly name: string;
  /** The algorithm that counts it. */
  readonly algorithm: RateLimitAlgorithm;
  /** Units per window. */
  readonly limit: number;
  /** The window in milliseconds. */
  readonly windowMs: number;
  /** Whether this limit admitted the call (for peek: would admit it). */
  readonly allowed: boolean;
  /** Units that fit right now, after this decision. */
  readonly remaining: number;
  /** Until this limit is back to its full, never-seen state (0 when it is). */
  readonly resetMs: number;
  /** Until the same call fits this limit (0 when it fits or was admitted). */
  readonly retryAfterMs: number;
  /** Until `remaining` next grows (0 at full capacity): the draft-10 `t` parameter. */
  readonly refillMs: number;
}

/**
 * The answer to one call. `consume` resolves to it whether or not the call is admitted:
 * check `allowed`.
 */
export interface RateLimitDecision {
  /** Whether the caller may proceed. In shadow mode always `true`; see `source`. */
  readonly allowed: boolean;
  /** The key the decision is about. */
  readonly key: string;
  /** The units the call asked for. */
  readonly cost: number;
  /**
   * The deciding policy's name: the violated policy with the longest wait when rejected,
   * else the policy with the fewest units remaining.
   */
  readonly policy: string;
  /** The deciding policy's `limit`. */
  readonly limit: number;
  /** Units remaining on the deciding policy (the fewest of all policies when admitted). */
  readonly remaining: number;
  /** Until the deciding policy is fully reset. */
  readonly resetMs: number;
  /**
   * Until the same call would be admitted by every policy: exact for every algorithm when
   * nothing else uses the key meanwhile; 0 when admitted. A shadow decision keeps the wait
   * the limits would have imposed.
   */
  readonly retryAfterMs: number;
  /** Every policy, in the order of the limiter's `limits`. */
  readonly policies: readonly PolicyDecision[];
  /** Who answered. */
  readonly source: DecisionSource;
}
