/**
 * Helpers shared by this package's tests (never exported from the package): a guarded
 * function whose calls the test settles by hand, and event capture.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  type CircuitBreakerCallEvent,
  type CircuitBreakerRejectedEvent,
  type CircuitBreakerStateEvent,
  circuitBreakerChannels,
} from './events.ts';

/** One call of a {@link controlledFunction}, to be settled by the test. */
export interface PendingCall {
  readonly args: readonly unknown[];
  readonly signal: AbortSignal;
  resolve(value?: unknown): void;
  reject(error: unknown): void;
}

/** A guarded function whose calls stay pending until the test settles them. */
export function controlledFunction(): {
  readonly fn: (value: string, signal: AbortSignal) => Promise<unknown>;
  readonly calls: PendingCall[];
} {
  const calls: PendingCall[] = [];
  const fn = (value: string, signal: AbortSignal): Promise<unknown> =>
    new Promise((resolve, reject) => {
      calls.push({ args: [value], signal, resolve, reject });
    });
  return { fn, calls };
}

/** Everything published on the breaker channels until `stop()`. */
export function captureEvents(): {
  readonly state: CircuitBreakerStateEvent[];
  readonly call: CircuitBreakerCallEvent[];
  readonly rejected: CircuitBreakerRejectedEvent[];
  stop(): void;
} {
  const state: CircuitBreakerStateEvent[] = [];
  const call: CircuitBreakerCallEvent[] = [];
  const rejected: CircuitBreakerRejectedEvent[] = [];
  const onState = (message: unknown): void => {
    state.push(message as CircuitBreakerStateEvent);
  };
  const onCall = (message: unknown): void => {
    call.push(message as CircuitBreakerCallEvent);
  };
  const onRejected = (message: unknown): void => {
    rejected.push(message as CircuitBreakerRejectedEvent);
  };
  subscribe(circuitBreakerChannels.state, onState);
  subscribe(circuitBreakerChannels.call, onCall);
  subscribe(circuitBreakerChannels.rejected, onRejected);
  return {
    state,
    call,
    rejected,
    stop() {
      unsubscribe(circuitBreakerChannels.state, onState);
      unsubscribe(circuitBreakerChannels.call, onCall);
      unsubscribe(circuitBreakerChannels.rejected, onRejected);
    },
  };
}

/** A clock the test moves by hand. */
export function manualClock(start = 1_000_000): { now(): number; advance(ms: number): void } {
  let time = start;
  return {
    now: () => time,
    advance(ms: number) {
      time += ms;
    },
  };
}

/** The rejection of a promise (fails the test when it resolves). */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject');
}

/** A guarded function that succeeds or fails at once, by its argument. */
export const succeedOrFail = async (
  outcome: 'ok' | 'fail',
  _signal: AbortSignal,
): Promise<string> => {
  if (outcome === 'fail') throw new Error('dependency failed');
  return 'done';
};
