import type { DecisionSource, PolicyDecision, RateLimitDecision } from '../decision.ts';
import { type CompiledLimit, OUTCOME_SLOTS } from './algorithms.ts';

/** Builds a decision from the flat numbers of an evaluation (see `evaluate`). */
export function buildDecision(
  limits: readonly CompiledLimit[],
  flat: ArrayLike<number>,
  key: string,
  cost: number,
  source: DecisionSource,
): RateLimitDecision {
  const allowed = flat[0] === 1;
  const policies: PolicyDecision[] = [];
  let chosen: PolicyDecision | undefined;
  let retryAfterMs = 0;
  for (let index = 0; index < limits.length; index++) {
    const limit = limits[index] as CompiledLimit;
    const at = 1 + index * OUTCOME_SLOTS;
    const policy: PolicyDecision = {
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
    policies.push(policy);
    if (chosen === undefined) {
      chosen = policy;
      retryAfterMs = policy.retryAfterMs;
    } else if (allowed) {
      if (policy.remaining < chosen.remaining) chosen = policy;
    } else if (!policy.allowed && (chosen.allowed || policy.retryAfterMs > retryAfterMs)) {
      chosen = policy;
      retryAfterMs = policy.retryAfterMs;
    }
  }
  const deciding = chosen as PolicyDecision;
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
