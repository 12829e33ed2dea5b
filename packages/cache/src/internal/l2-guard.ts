import {
  type Clock,
  describeValue,
  isRampartError,
  type RampartError,
  TimeoutError,
  UnavailableError,
} from '@rampart/errors';
import type { L2State } from '../cache-stats.ts';
import type { L2Operation } from '../channels.ts';
import type { L2Store } from '../l2-store.ts';
import type { Telemetry } from './telemetry.ts';

/** Returned instead of a result when L2 was skipped, failed, timed out or the caller aborted. */
export const L2_UNAVAILABLE: unique symbol = Symbol('rampart.cache.l2-unavailable');

/** Settings of an {@link L2Guard}. */
export interface L2GuardOptions {
  readonly store: L2Store;
  readonly timeoutMs: number;
  readonly cooldownMs: number;
  readonly failureThreshold: number;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
}

/**
 * Every L2 call goes through here. It gets a deadline (`timeoutMs`): past it the caller
 * moves on with {@link L2_UNAVAILABLE} and the late outcome is ignored. Failures never
 * escape: they become Rampart errors in `l2-error` events. After `failureThreshold`
 * consecutive failures L2 cools down for `cooldownMs`: calls skip it at once. Then one probe
 * (the store's `ping` in the background, or else the next call) decides: success makes L2
 * healthy again, failure starts another cool-down.
 */
export class L2Guard {
  readonly #options: L2GuardOptions;
  #state: L2State = 'healthy';
  #failures = 0;
  #retryAt = 0;

  constructor(options: L2GuardOptions) {
    this.#options = options;
  }

  get state(): L2State {
    return this.#state;
  }

  /**
   * Runs `call` with a deadline unless L2 is cooling down; resolves with its result, or with
   * {@link L2_UNAVAILABLE}. Never rejects.
   */
  run<T>(
    operation: L2Operation,
    key: string | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    callerSignal?: AbortSignal,
  ): Promise<T | typeof L2_UNAVAILABLE> {
    if (callerSignal?.aborted === true || !this.#admit()) {
      return Promise.resolve(L2_UNAVAILABLE);
    }
    return this.#execute(operation, key, call, callerSignal, this.#state === 'probing');
  }

  #admit(): boolean {
    if (this.#state === 'healthy') return true;
    if (this.#state === 'cooling-down' && this.#options.clock.now() >= this.#retryAt) {
      this.#state = 'probing';
      const { store } = this.#options;
      if (store.ping === undefined) return true;
      void this.#execute(
        'ping',
        undefined,
        (signal) => store.ping?.(signal) ?? Promise.resolve(),
        undefined,
        true,
      );
    }
    this.#options.telemetry.counters.l2Skipped += 1;
    return false;
  }

  #execute<T>(
    operation: L2Operation,
    key: string | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    callerSignal: AbortSignal | undefined,
    isProbe: boolean,
  ): Promise<T | typeof L2_UNAVAILABLE> {
    const { timeoutMs } = this.#options;
    const started = performance.now();
    const controller = new AbortController();
    return new Promise((resolve) => {
      let done = false;
      const finish = (result: T | typeof L2_UNAVAILABLE): void => {
        done = true;
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
        resolve(result);
      };
      const onCallerAbort = (): void => {
        if (done) return;
        controller.abort(callerSignal?.reason);
        // A probe whose caller gave up proves nothing: let the next call probe again.
        if (isProbe && this.#state === 'probing') {
          this.#state = 'cooling-down';
          this.#retryAt = this.#options.clock.now();
        }
        finish(L2_UNAVAILABLE);
      };
      const timer = setTimeout(() => {
        if (done) return;
        const error = new TimeoutError(`L2 ${operation} took longer than ${timeoutMs} ms`, {
          captureStack: false,
          context: { operation, timeoutMs },
        });
        controller.abort(error);
        this.#failed(operation, key, error, true, started);
        finish(L2_UNAVAILABLE);
      }, timeoutMs);
      timer.unref?.();
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      let pending: Promise<T>;
      try {
        pending = call(controller.signal);
      } catch (error) {
        pending = Promise.reject(error);
      }
      pending.then(
        (value) => {
          if (done) return;
          this.#succeeded();
          finish(value);
        },
        (error: unknown) => {
          if (done) return;
          this.#failed(operation, key, toL2Error(operation, error), false, started);
          finish(L2_UNAVAILABLE);
        },
      );
    });
  }

  #succeeded(): void {
    this.#failures = 0;
    this.#state = 'healthy';
  }

  #failed(
    operation: L2Operation,
    key: string | undefined,
    error: RampartError,
    timedOut: boolean,
    started: number,
  ): void {
    this.#failures += 1;
    const { failureThreshold, cooldownMs, clock, telemetry } = this.#options;
    if (this.#state === 'probing' || this.#failures >= failureThreshold) {
      this.#state = 'cooling-down';
      this.#retryAt = clock.now() + cooldownMs;
    }
    telemetry.l2Error({
      ...(key === undefined ? {} : { key }),
      operation,
      durationMs: performance.now() - started,
      error,
      timedOut,
      coolingDown: this.#state === 'cooling-down',
    });
  }
}

/** A store's failure as a Rampart error: kept when it is one, else wrapped as `E_UNAVAILABLE`. */
export function toL2Error(operation: L2Operation, error: unknown): RampartError {
  if (isRampartError(error)) return error;
  const message = error instanceof Error ? error.message : describeValue(error);
  return new UnavailableError(`L2 ${operation} failed: ${message}`, {
    cause: error,
    captureStack: false,
    context: { operation },
  });
}
