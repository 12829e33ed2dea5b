import { MAX_TIMER_DELAY_MS, systemClock } from '@rampart/errors';
import { isDependencyFailure } from '../errors.ts';
import type { CircuitBreakerPolicy, Clock } from '../options.ts';

/** A breaker's policy after validation and defaults: every field present, `false` resolved. */
export interface Settings {
  /** 0 when calls never time out. */
  readonly timeoutMs: number;
  readonly errorThresholdPercentage: number;
  readonly volumeThreshold: number;
  readonly rollingWindowMs: number;
  readonly rollingWindowBuckets: number;
  readonly bucketMs: number;
  readonly resetTimeoutMs: number;
  readonly resetBackoffFactor: number;
  readonly maxResetTimeoutMs: number;
  readonly halfOpenProbes: number;
  readonly successesToClose: number;
  /** `Infinity` when slow calls are not counted. */
  readonly slowCallMs: number;
  /** `Infinity` when unlimited. */
  readonly capacity: number;
  readonly isFailure: (error: unknown) => boolean;
  readonly clock: Clock;
}

/** A policy as zod outputs it: optional fields may hold `undefined`. */
export type PolicyInput = {
  readonly [Key in keyof CircuitBreakerPolicy]?: CircuitBreakerPolicy[Key] | undefined;
};

/** Applies defaults to a validated policy. */
export function resolvePolicy(policy: PolicyInput): Settings {
  const rollingWindowMs = policy.rollingWindowMs ?? 10_000;
  const rollingWindowBuckets = policy.rollingWindowBuckets ?? 10;
  const resetTimeoutMs = policy.resetTimeoutMs ?? 30_000;
  const halfOpenProbes = policy.halfOpenProbes ?? 1;
  const timeoutMs = policy.timeoutMs ?? 10_000;
  const slowCallMs = policy.slowCallMs ?? false;
  const capacity = policy.capacity ?? false;
  return Object.freeze({
    timeoutMs: timeoutMs === false ? 0 : timeoutMs,
    errorThresholdPercentage: policy.errorThresholdPercentage ?? 50,
    volumeThreshold: policy.volumeThreshold ?? 10,
    rollingWindowMs,
    rollingWindowBuckets,
    bucketMs: rollingWindowMs / rollingWindowBuckets,
    resetTimeoutMs,
    resetBackoffFactor: policy.resetBackoffFactor ?? 2,
    maxResetTimeoutMs:
      policy.maxResetTimeoutMs ?? Math.min(resetTimeoutMs * 10, MAX_TIMER_DELAY_MS),
    halfOpenProbes,
    successesToClose: policy.successesToClose ?? halfOpenProbes,
    slowCallMs: slowCallMs === false ? Number.POSITIVE_INFINITY : slowCallMs,
    capacity: capacity === false ? Number.POSITIVE_INFINITY : capacity,
    isFailure: policy.isFailure ?? isDependencyFailure,
    clock: policy.clock ?? systemClock,
  });
}
