import type { DecisionSource, PolicyDecision, RateLimitDecision } from '../decision.ts';
import { type CompiledLimit, OUTCOME_SLOTS } from './algorithms.ts';

/** The `index`-th policy of the flat numbers of an evaluation. */
function policyAt(
  limits: readonly CompiledLimit[],
  flat: ArrayLike<number>,
  index: number,
): PolicyDecision {
  const limit = limits[index] as CompiledLimit;
  const at = 1 + index * OUTCOME_SLOTS;
  return {
    name: limit.name,
    algorithm: limit.algorithm,
    limit: limit.limit,
    windowMs: limit.windowMs,
    allowed: flat[at] === 1,
    remaining: flat[at + 1] as number,
    resetMs: flat[at + 2] as number,
    retryAfterMs: flat[at + 3] as number,
    refillMs: flat[at + 4] as number,
  };
}

/** Builds a decision from the flat numbers of an evaluation (see `evaluate`). */
export function buildDecision(
  limits: readonly CompiledLimit[],
  flat: ArrayLike<number>,
  key: string,
  cost: number,
  source: DecisionSource,
): RateLimitDecision {
  const allowed = flat[0] === 1;
  let deciding = policyAt(limits, flat, 0);
  // Starts with its first policy, not empty: an empty array's first push grows it, which
  // costs more than building the policy. (One limit, the common case, never grows it.)
  const policies: PolicyDecision[] = [deciding];
  for (let index = 1; index < limits.length; index++) {
    const policy = policyAt(limits, flat, index);
    policies.push(policy);
    if (
      allowed
        ? policy.remaining < deciding.remaining
        : !policy.allowed && (deciding.allowed || policy.retryAfterMs > deciding.retryAfterMs)
    ) {
      deciding = policy;
    }
  }
  return {
    allowed,
    key,
    cost,
    policy: deciding.name,
    limit: deciding.limit,
    remaining: deciding.remaining,
    resetMs: deciding.resetMs,
    retryAfterMs: allowed ? 0 : deciding.retryAfterMs,
    policies,
    source,
  };
}

/** A decision made without the store: every policy admits (`allowed`) or rejects. */
export function syntheticDecision(
  limits: readonly CompiledLimit[],
  key: string,
  cost: number,
  allowed: boolean,
  retryAfterMs: number,
): RateLimitDecision {
  const policies = limits.map(
    (limit): PolicyDecision => ({
      name: limit.name,
      algorithm: limit.algorithm,
      limit: limit.limit,
      windowMs: limit.windowMs,
      allowed,
      remaining: allowed ? limit.capacity : 0,
      resetMs: 0,
      retryAfterMs: allowed ? 0 : retryAfterMs,
      refillMs: allowed ? 0 : retryAfterMs,
    }),
  );
  const first = policies[0] as PolicyDecision;
  return {
    allowed,
    key,
    cost,
    policy: first.name,
    limit: first.limit,
    remaining: first.remaining,
    resetMs: 0,
    retryAfterMs: allowed ? 0 : retryAfterMs,
    policies,
    source: 'fallback',
  };
}

/** The same decision as seen `elapsedMs` later, for `cost` units (block-cache answers). */
export function agedDecision(
  decision: RateLimitDecision,
  elapsedMs: number,
  cost: number,
  source: DecisionSource,
): RateLimitDecision {
  const age = (ms: number): number => (ms > elapsedMs ? ms - elapsedMs : 0);
  return {
    ...decision,
    cost,
    resetMs: age(decision.resetMs),
    retryAfterMs: age(decision.retryAfterMs),
    policies: decision.policies.map((policy) => ({
      ...policy,
      resetMs: age(policy.resetMs),
      retryAfterMs: age(policy.retryAfterMs),
      refillMs: age(policy.refillMs),
    })),
    source,
  };
}
