import type { ExhaustedReason } from './options.ts';
import type { ProviderAvailability } from './state.ts';

/**
 * The `node:diagnostics_channel` channels a failover publishes on. Nothing is built or
 * published while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { type FailoverExhaustedEvent, failoverChannels } from '@rampart/failover';
 *
 * subscribe(failoverChannels.exhausted, (message) => {
 *   const event = message as FailoverExhaustedEvent;
 *   console.warn(`${event.name}: no provider answered (${event.reason})`);
 * });
 * ```
 */
export const failoverChannels: {
  /** A provider call ended: {@link FailoverAttemptEvent}. */
  readonly attempt: 'rampart:failover:attempt';
  /** A provider was passed over without a call: {@link FailoverProviderSkippedEvent}. */
  readonly providerSkipped: 'rampart:failover:provider-skipped';
  /** A hedge started another provider: {@link FailoverHedgeEvent}. */
  readonly hedge: 'rampart:failover:hedge';
  /** The last resort produced the answer: {@link FailoverFallbackUsedEvent}. */
  readonly fallbackUsed: 'rampart:failover:fallback-used';
  /** No provider answered: {@link FailoverExhaustedEvent}. */
  readonly exhausted: 'rampart:failover:exhausted';
} = Object.freeze({
  attempt: 'rampart:failover:attempt',
  providerSkipped: 'rampart:failover:provider-skipped',
  hedge: 'rampart:failover:hedge',
  fallbackUsed: 'rampart:failover:fallback-used',
  exhausted: 'rampart:failover:exhausted',
} as const);

/**
 * How a provider call ended:
 * - `success`: it answered;
 * - `failure`: it threw an error that moves on to the next provider;
 * - `stopped`: it threw an error that rejects the call (bad input);
 * - `rejected`: its breaker refused it without calling (a busy half-open circuit, capacity);
 * - `aborted`: it was abandoned (another provider answered first, or the caller aborted).
 */
export type FailoverAttemptOutcome = 'success' | 'failure' | 'stopped' | 'rejected' | 'aborted';

/**
 * Payload of {@link failoverChannels}`.attempt`, published when a provider call ends.
 *
 * @group Events
 */
export interface FailoverAttemptEvent {
  /** The failover's name. */
  readonly name: string;
  /** The provider called. */
  readonly provider: string;
  /** Number of the attempt within its call, from 1. */
  readonly attempt: number;
  /** Whether a hedge started it. */
  readonly hedge: boolean;
  /** How it ended. */
  readonly outcome: FailoverAttemptOutcome;
  /** From its start until it ended, in milliseconds. */
  readonly durationMs: number;
  /** The error for every outcome but `success`; otherwise `undefined`. */
  readonly error: unknown;
  /** The Rampart code of `error` when it has one; otherwise `undefined`. */
  readonly code: string | undefined;
}

/**
 * Why a provider was passed over without a call:
 * - `open`: its circuit is open or isolated;
 * - `cooling`: it is cooling down after a 429;
 * - `budget`: the retry budget is spent.
 */
export type FailoverSkipReason = 'open' | 'cooling' | 'budget';

/**
 * Payload of {@link failoverChannels}`.providerSkipped`.
 *
 * @group Events
 */
export interface FailoverProviderSkippedEvent {
  /** The failover's name. */
  readonly name: string;
  /** The provider passed over. */
  readonly provider: string;
  /** Why. */
  readonly reason: FailoverSkipReason;
  /** Its availability at the time. */
  readonly availability: ProviderAvailability;
  /** Milliseconds until it is tried again, when known. */
  readonly retryAfterMs: number | undefined;
}

/**
 * Payload of {@link failoverChannels}`.hedge`.
 *
 * @group Events
 */
export interface FailoverHedgeEvent {
  /** The failover's name. */
  readonly name: string;
  /** The provider that had not answered in time. */
  readonly waitingOn: string;
  /** The provider started in addition. */
  readonly provider: string;
  /** How long it waited before hedging, in milliseconds. */
  readonly delayMs: number;
  /** Number of this hedge within its call, from 1. */
  readonly hedge: number;
}

/**
 * Payload of {@link failoverChannels}`.fallbackUsed`, when the last resort answered.
 *
 * @group Events
 */
export interface FailoverFallbackUsedEvent {
  /** The failover's name. */
  readonly name: string;
  /** Why no provider answered. */
  readonly reason: ExhaustedReason;
  /** Whether the last resort resolved (`true`) or threw (`false`). */
  readonly succeeded: boolean;
}

/**
 * Payload of {@link failoverChannels}`.exhausted`, when no provider answered a call.
 *
 * @group Events
 */
export interface FailoverExhaustedEvent {
  /** The failover's name. */
  readonly name: string;
  /** Why. */
  readonly reason: ExhaustedReason;
  /** Provider calls made for this call. */
  readonly attempts: number;
  /** The soonest a provider will be tried again, when known. */
  readonly retryAfterMs: number | undefined;
  /** Whether a last resort will produce the answer. */
  readonly lastResort: boolean;
}
