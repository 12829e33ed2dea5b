import type { CircuitState } from './circuit-state.ts';

/**
 * The `node:diagnostics_channel` channels a breaker publishes on. Nothing is built or
 * published while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { circuitBreakerChannels, type CircuitBreakerStateEvent } from '@rampart/circuit-breaker';
 *
 * subscribe(circuitBreakerChannels.state, (message) => {
 *   const event = message as CircuitBreakerStateEvent;
 *   console.warn(`circuit ${event.name}: ${event.from} → ${event.to} (${event.reason})`);
 * });
 * ```
 */
export const circuitBreakerChannels: {
  /** A state change: {@link CircuitBreakerStateEvent}. */
  readonly state: 'rampart:circuit-breaker:state';
  /** An admitted call ended: {@link CircuitBreakerCallEvent}. */
  readonly call: 'rampart:circuit-breaker:call';
  /** A call was rejected without running: {@link CircuitBreakerRejectedEvent}. */
  readonly rejected: 'rampart:circuit-breaker:rejected';
} = Object.freeze({
  state: 'rampart:circuit-breaker:state',
  call: 'rampart:circuit-breaker:call',
  rejected: 'rampart:circuit-breaker:rejected',
} as const);

/**
 * Why a circuit changed state:
 * - `failure-threshold`: closed → open, the failure rate reached the threshold;
 * - `reset-timeout`: open → half-open, the open period is over;
 * - `probe-failed`: half-open → open, a trial call failed;
 * - `probes-succeeded`: half-open → closed, enough trial calls succeeded;
 * - `isolated`: → isolated, by {@link CircuitControl.isolate};
 * - `released`: isolated → half-open, the last isolation was released;
 * - `reset`: → closed, by {@link CircuitControl.reset}.
 */
export type CircuitStateChangeReason =
  | 'failure-threshold'
  | 'reset-timeout'
  | 'probe-failed'
  | 'probes-succeeded'
  | 'isolated'
  | 'released'
  | 'reset';

/**
 * Payload of {@link circuitBreakerChannels}`.state`.
 *
 * @group Events
 */
export interface CircuitBreakerStateEvent {
  /** The breaker's name. */
  readonly name: string;
  /** The state left. */
  readonly from: CircuitState;
  /** The state entered. */
  readonly to: CircuitState;
  /** Why. */
  readonly reason: CircuitStateChangeReason;
  /** Failure rate of the window in percent when the change happened. */
  readonly failureRate: number;
  /** When entering `open`: milliseconds until the next trial call; otherwise `undefined`. */
  readonly retryAfterMs: number | undefined;
}

/**
 * How an admitted call ended:
 * - `success`: resolved in time;
 * - `slow`: resolved, but slower than `slowCallMs` (a failure);
 * - `failure`: threw an error counted as a failure;
 * - `ignored`: threw an error that is not a failure (counted as a success);
 * - `timeout`: ran past `timeoutMs` (a failure);
 * - `aborted`: its caller aborted it (not counted).
 */
export type CircuitCallOutcome = 'success' | 'slow' | 'failure' | 'ignored' | 'timeout' | 'aborted';

/**
 * Payload of {@link circuitBreakerChannels}`.call`, published when an admitted call ends.
 *
 * @group Events
 */
export interface CircuitBreakerCallEvent {
  /** The breaker's name. */
  readonly name: string;
  /** How the call ended. */
  readonly outcome: CircuitCallOutcome;
  /** From admission until the outcome, in milliseconds. */
  readonly durationMs: number;
  /** Whether the call was a half-open trial call. */
  readonly probe: boolean;
  /** The error for `failure`, `ignored`, `timeout` and `aborted`; otherwise `undefined`. */
  readonly error: unknown;
  /** The Rampart code of `error` when it has one (`E_TIMEOUT`, …); otherwise `undefined`. */
  readonly code: string | undefined;
}

/**
 * Why a call was rejected without running:
 * - `open`: the circuit is open;
 * - `isolated`: the circuit is held open by hand;
 * - `half-open`: the circuit is half-open and all its trial slots are taken;
 * - `capacity`: `capacity` calls are already in flight;
 * - `disposed`: the breaker was disposed.
 */
export type CircuitRejectionReason = 'open' | 'isolated' | 'half-open' | 'capacity' | 'disposed';

/**
 * Payload of {@link circuitBreakerChannels}`.rejected`.
 *
 * @group Events
 */
export interface CircuitBreakerRejectedEvent {
  /** The breaker's name. */
  readonly name: string;
  /** Why the call was rejected. */
  readonly reason: CircuitRejectionReason;
  /** The state at the time. */
  readonly state: CircuitState;
  /**
   * Milliseconds until a trial call may be admitted, when known: the rest of the open period,
   * or, when half-open and busy, until the latest trial call times out at the latest.
   */
  readonly retryAfterMs: number | undefined;
  /** The error the call rejected with (before any fallback). */
  readonly error: Error;
  /** Its Rampart code: `E_CIRCUIT_OPEN`, `E_CIRCUIT_CAPACITY` or `E_UNAVAILABLE`. */
  readonly code: string;
}
