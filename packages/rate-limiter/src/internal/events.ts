import { channel } from 'node:diagnostics_channel';
import type { RampartError } from '@rampart/errors';
import {
  type RateLimiterDecisionEvent,
  type RateLimiterFallbackEvent,
  type RateLimiterStoreErrorEvent,
  rateLimiterChannels,
  type StoreErrorPolicy,
  type StoreOperation,
} from '../channels.ts';
import type { RateLimitDecision } from '../decision.ts';

/** The decision channel: check `hasSubscribers` before building anything for it. */
export const decisionChannel: ReturnType<typeof channel> = channel(rateLimiterChannels.decision);
const storeErrorChannel = channel(rateLimiterChannels.storeError);
const fallbackChannel = channel(rateLimiterChannels.fallback);

/** Publishes a decision (call it only when {@link decisionChannel} has subscribers). */
export function publishDecision(name: string, decision: RateLimitDecision): void {
  const violatedPolicies: string[] = [];
  for (const policy of decision.policies) {
    if (!policy.allowed) violatedPolicies.push(policy.name);
  }
  const event: RateLimiterDecisionEvent = {
    name,
    allowed: decision.allowed,
    source: decision.source,
    policy: decision.policy,
    violatedPolicies,
    cost: decision.cost,
    remaining: decision.remaining,
    retryAfterMs: decision.retryAfterMs,
    key: decision.key,
  };
  decisionChannel.publish(event);
}

/** Publishes a store failure when anyone listens. */
export function publishStoreError(
  name: string,
  operation: StoreOperation,
  error: RampartError,
  consecutiveFailures: number,
  key: string,
): void {
  if (!storeErrorChannel.hasSubscribers) return;
  const event: RateLimiterStoreErrorEvent = {
    name,
    operation,
    error,
    code: error.code,
    consecutiveFailures,
    key,
  };
  storeErrorChannel.publish(event);
}

/** Publishes a switch to or from the fallback when anyone listens. */
export function publishFallback(
  name: string,
  active: boolean,
  policy: StoreErrorPolicy,
  consecutiveFailures: number,
  coolDownMs: number,
  error: RampartError | undefined,
): void {
  if (!fallbackChannel.hasSubscribers) return;
  const event: RateLimiterFallbackEvent =
    error === undefined
      ? { name, active, policy, consecutiveFailures, coolDownMs }
      : { name, active, policy, consecutiveFailures, coolDownMs, error, code: error.code };
  fallbackChannel.publish(event);
}
