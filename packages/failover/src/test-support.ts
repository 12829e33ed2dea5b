import type { FailoverProvider, ProviderCallContext } from './options.ts';
import { ConnectionRefused } from './test-errors.ts';

/** What a simulated provider does on one call: answer or throw, after `delayMs`. */
export interface Behaviour {
  readonly delayMs?: number;
  readonly error?: unknown;
  readonly value?: string;
}

/** One call a simulated provider received. */
export interface ReceivedCall {
  readonly provider: string;
  readonly input: string;
  readonly attempt: number;
  readonly at: number;
  /** Set when the call's signal aborted before it ended. */
  aborted: boolean;
  ended: boolean;
}

/**
 * A provider simulated with fake timers: `behave(input, callNumber)` decides each call. It
 * honours its signal (rejecting with the reason) and records every call in `calls`.
 */
export function simulated(
  name: string,
  behave: (input: string, call: number) => Behaviour,
  calls: ReceivedCall[] = [],
  extra: Partial<FailoverProvider<string, string>> = {},
): FailoverProvider<string, string> {
  let count = 0;
  return {
    name,
    ...extra,
    call(input: string, { signal, attempt }: ProviderCallContext): Promise<string> {
      const behaviour = behave(input, ++count);
      const received: ReceivedCall = {
        provider: name,
        input,
        attempt,
        at: Date.now(),
        aborted: false,
        ended: false,
      };
      calls.push(received);
      return new Promise((resolve, reject) => {
        const finish = (): void => {
          received.ended = true;
          signal.removeEventListener('abort', onAbort);
          if (behaviour.error !== undefined) reject(behaviour.error);
          else resolve(behaviour.value ?? `${name}:${input}`);
        };
        const timer = setTimeout(finish, behaviour.delayMs ?? 0);
        const onAbort = (): void => {
          clearTimeout(timer);
          received.aborted = true;
          received.ended = true;
          reject(signal.reason);
        };
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
  };
}

/** A provider that always answers after `delayMs`. */
export function healthy(
  name: string,
  delayMs: number,
  calls?: ReceivedCall[],
): FailoverProvider<string, string> {
  return simulated(name, () => ({ delayMs }), calls);
}

/** A provider that always fails with a connection error after `delayMs`. */
export function dead(
  name: string,
  delayMs: number,
  calls?: ReceivedCall[],
): FailoverProvider<string, string> {
  return simulated(name, () => ({ delayMs, error: new ConnectionRefused(name) }), calls);
}

/** What a promise did, readable at any moment of a fake-timer test. */
export interface Tracked<Result> {
  readonly settled: boolean;
  readonly value: Result | undefined;
  readonly error: unknown;
  readonly rejected: boolean;
}

/** Observes a promise without ever leaving its rejection unhandled. */
export function track<Result>(promise: Promise<Result>): Tracked<Result> {
  const state = {
    settled: false,
    value: undefined as Result | undefined,
    error: undefined as unknown,
    rejected: false,
  };
  promise.then(
    (value) => {
      state.settled = true;
      state.value = value;
    },
    (error: unknown) => {
      state.settled = true;
      state.rejected = true;
      state.error = error;
    },
  );
  return state;
}
