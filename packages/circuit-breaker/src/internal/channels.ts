import { channel } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';
import type { CircuitState } from '../circuit-state.ts';
import {
  type CircuitBreakerCallEvent,
  type CircuitBreakerRejectedEvent,
  type CircuitBreakerStateEvent,
  type CircuitCallOutcome,
  type CircuitRejectionReason,
  type CircuitStateChangeReason,
  circuitBreakerChannels,
} from '../events.ts';

const stateChannel = channel(circuitBreakerChannels.state);
const callChannel = channel(circuitBreakerChannels.call);
const rejectedChannel = channel(circuitBreakerChannels.rejected);

/** The Rampart code of an error, when it has one. */
export function codeOf(error: unknown): string | undefined {
  return isRampartError(error) ? error.code : undefined;
}

/** Publishes a state change, if anyone listens. */
export function publishState(
  name: string,
  from: CircuitState,
  to: CircuitState,
  reason: CircuitStateChangeReason,
  failureRate: number,
  retryAfterMs: number | undefined,
): void {
  if (!stateChannel.hasSubscribers) return;
  const event: CircuitBreakerStateEvent = { name, from, to, reason, failureRate, retryAfterMs };
  stateChannel.publish(event);
}

/** Whether a call event would reach anyone (so callers can skip computing it). */
export function hasCallSubscribers(): boolean {
  return callChannel.hasSubscribers;
}

/** Publishes the end of an admitted call, if anyone listens. */
export function publishCall(
  name: string,
  outcome: CircuitCallOutcome,
  durationMs: number,
  probe: boolean,
  error: unknown,
): void {
  if (!callChannel.hasSubscribers) return;
  const event: CircuitBreakerCallEvent = {
    name,
    outcome,
    durationMs,
    probe,
    error,
    code: codeOf(error),
  };
  callChannel.publish(event);
}

/** Publishes a rejected call, if anyone listens. */
export function publishRejected(
  name: string,
  reason: CircuitRejectionReason,
  state: CircuitState,
  retryAfterMs: number | undefined,
  error: Error & { readonly code: string },
): void {
  if (!rejectedChannel.hasSubscribers) return;
  const event: CircuitBreakerRejectedEvent = {
    name,
    reason,
    state,
    retryAfterMs,
    error,
    code: error.code,
  };
  rejectedChannel.publish(event);
}
