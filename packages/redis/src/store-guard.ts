import { channel } from 'node:diagnostics_channel';
import {
  describeValue,
  isRampartError,
  type RampartError,
  TimeoutError,
  UnavailableError,
} from '@rampart/errors';
import { validateGuardOptions } from './internal/guard-options.ts';
import type { StoreCallOptions, StoreGuard, StoreGuardOptions } from './store-guard-options.ts';
import type {
  StoreCallOutcome,
  StoreFailure,
  StoreHealth,
  StoreState,
  StoreStateEvent,
} from './store-state.ts';

/** The signal of calls that take none: it never aborts. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

const SKIPPED: StoreCallOutcome<never> = Object.freeze({ ok: false, reason: 'skipped' });

/**
 * Creates a {@link StoreGuard}: every call gets a deadline, `failureThreshold` failures in a
 * row cool the store down for `coolDownMs` (calls skip it at once), then one probe — the
 * store's `ping` on an unref'd timer, or else the next call — decides: success (after
 * `beforeRecovery`) makes it healthy, failure starts another cool-down. Outcomes of calls
 * that started before the last change of state never change it again.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming a bad option.
 * @example
 * ```ts
 * import { createStoreGuard } from '@rampart/redis';
 *
 * const guard = createStoreGuard({
 *   name: 'sessions',
 *   component: 'session-store',
 *   timeoutMs: 50,
 *   failureThreshold: 3,
 *   coolDownMs: 1_000,
 *   ping: async () => {},
 * });
 * const outcome = await guard.run('get', async () => 'value');
 * if (outcome.ok) console.log(outcome.value, guard.health().state);
 * guard.close();
 * ```
 */
export function createStoreGuard(options: StoreGuardOptions): StoreGuard {
  validateGuardOptions(options);
  const { name, component, timeoutMs, failureThreshold, coolDownMs, ping } = options;
  const clock = options.clock ?? Date;
  const label = options.label ?? 'the store';
  const stateChannel = options.channel === undefined ? undefined : channel(options.channel);
  let state: StoreState = 'healthy';
  let failures = 0;
  let changedAt = clock.now();
  let retryAt = 0;
  /** Counts changes of state; a call's outcome changes state only within its epoch. */
  let epoch = 0;
  let probeTimer: NodeJS.Timeout | undefined;
  /** The probe in flight: resolves with whether the store is healthy again. */
  let probe: Promise<boolean> | undefined;
  let closed = false;

  const health = (): StoreHealth => ({
    state,
    consecutiveFailures: failures,
    changedAt,
    retryAfterMs: state === 'cooling-down' ? Math.max(1, retryAt - clock.now()) : 0,
  });

  const transition = (to: StoreState, error?: RampartError): void => {
    const from = state;
    state = to;
    changedAt = clock.now();
    epoch += 1;
    if (from === to) return;
    const { onStateChange } = options;
    if (stateChannel?.hasSubscribers !== true && onStateChange === undefined) return;
    const event: StoreStateEvent =
      error === undefined
        ? { name, component, from, to, health: health() }
        : { name, component, from, to, health: health(), error, code: error.code };
    if (onStateChange !== undefined) notify(() => onStateChange(event));
    if (stateChannel?.hasSubscribers === true) stateChannel.publish(event);
  };

  const coolDown = (error: RampartError): void => {
    clearTimeout(probeTimer);
    retryAt = clock.now() + coolDownMs;
    transition('cooling-down', error);
    if (closed) return;
    probeTimer = setTimeout(() => {
      probeTimer = undefined;
      if (ping !== undefined && state === 'cooling-down') startProbe();
    }, coolDownMs);
    probeTimer.unref();
  };

  /** Records a failure of a call from `callEpoch`; returns the health after it. */
  const failed = (callEpoch: number, error: RampartError, isProbe: boolean): StoreHealth => {
    failures += 1;
    if (callEpoch === epoch && !closed) {
      if (isProbe || (state === 'healthy' && failures >= failureThreshold)) coolDown(error);
    }
    return health();
  };

  /** Runs `call` under the deadline and resolves with its outcome (never rejects). */
  const execute = <T>(
    operation: string,
    call: (signal: AbortSignal) => Promise<T>,
    callOptions: StoreCallOptions | undefined,
    isProbe: boolean,
    before?: Promise<boolean>,
  ): Promise<StoreCallOutcome<T>> => {
    const callerSignal = callOptions?.signal;
    const key = callOptions?.key;
    const started = performance.now();
    // A call that takes no signal (`call.length === 0`) gets one that never aborts, which
    // saves an AbortController per call on hot paths such as a rate limiter's decisions.
    const controller = call.length === 0 ? undefined : new AbortController();
    let callEpoch = epoch;
    return new Promise((resolve) => {
      let pending = true;
      let onAbort: (() => void) | undefined;
      const finish = (outcome: StoreCallOutcome<T>): boolean => {
        if (!pending) return false;
        pending = false;
        clearTimeout(timer);
        if (onAbort !== undefined) callerSignal?.removeEventListener('abort', onAbort);
        resolve(outcome);
        return true;
      };
      const report = (error: RampartError, timedOut: boolean): void => {
        const after = failed(callEpoch, error, isProbe);
        const { onFailure } = options;
        if (onFailure === undefined) return;
        const failure: StoreFailure = {
          operation,
          ...(key === undefined ? {} : { key }),
          error,
          timedOut,
          durationMs: performance.now() - started,
          probe: isProbe,
          health: after,
        };
        notify(() => onFailure(failure));
      };
      // Not unref'd: a caller is waiting on it. Node keeps one list per duration, so a timer
      // per call costs no more than a shared queue would.
      const timer = setTimeout(() => {
        const error = new TimeoutError(`${label}: ${operation} took longer than ${timeoutMs} ms`, {
          captureStack: false,
          context: { operation, timeoutMs },
        });
        if (!finish({ ok: false, reason: 'failed', error })) return;
        controller?.abort(error);
        report(error, true);
      }, timeoutMs);
      if (callerSignal !== undefined) {
        onAbort = () => {
          controller?.abort(callerSignal.reason);
          finish({ ok: false, reason: 'aborted', error: callerSignal.reason });
        };
        callerSignal.addEventListener('abort', onAbort, { once: true });
      }
      const start = (): void => {
        if (!pending) return;
        callEpoch = epoch;
        let answer: Promise<T>;
        try {
          answer = call(controller?.signal ?? NEVER_ABORTED);
        } catch (error) {
          answer = Promise.reject(error);
        }
        answer.then(
          (value) => {
            if (!finish({ ok: true, value })) return;
            if (callEpoch === epoch && !isProbe) failures = 0;
          },
          (cause: unknown) => {
            const error = toStoreError(label, operation, cause);
            if (finish({ ok: false, reason: 'failed', error })) report(error, false);
          },
        );
      };
      if (before === undefined) start();
      else void before.then((healthy) => (healthy ? start() : finish(SKIPPED)));
    });
  };

  /** Probes the store (its ping, then `beforeRecovery`); resolves with whether it is back. */
  const runProbe = async (first: () => Promise<StoreCallOutcome<unknown>>): Promise<boolean> => {
    const probeEpoch = epoch;
    const answered = await first();
    if (!answered.ok && answered.reason === 'aborted' && epoch === probeEpoch) {
      // A probe whose caller gave up proves nothing: the next call probes again.
      retryAt = clock.now();
      transition('cooling-down');
    }
    if (!answered.ok || epoch !== probeEpoch || closed) return false;
    const { beforeRecovery } = options;
    if (beforeRecovery !== undefined) {
      const replayed = await execute('recovery', beforeRecovery, undefined, true);
      if (!replayed.ok || epoch !== probeEpoch || closed) return false;
    }
    failures = 0;
    transition('healthy');
    return true;
  };

  const finishProbe = (running: Promise<boolean>): Promise<boolean> => {
    probe = running;
    void running.finally(() => {
      if (probe === running) probe = undefined;
    });
    return running;
  };

  function startProbe(): Promise<boolean> {
    transition('probing');
    const { ping: check } = options;
    if (check === undefined) throw new Error('startProbe needs a ping');
    return finishProbe(runProbe(() => execute('ping', check, undefined, true)));
  }

  return {
    health,
    run(operation, call, callOptions) {
      if (callOptions?.signal?.aborted === true) {
        return Promise.resolve({ ok: false, reason: 'aborted', error: callOptions.signal.reason });
      }
      if (closed) return Promise.resolve(SKIPPED);
      if (state === 'healthy') return execute(operation, call, callOptions, false);
      if (state === 'cooling-down') {
        if (clock.now() < retryAt) return Promise.resolve(SKIPPED);
        clearTimeout(probeTimer);
        probeTimer = undefined;
        if (ping !== undefined) {
          return execute(operation, call, callOptions, false, startProbe());
        }
        // No ping: this call is the probe; calls arriving meanwhile wait for it.
        transition('probing');
        let outcome: Promise<StoreCallOutcome<unknown>> | undefined;
        finishProbe(
          runProbe(() => {
            outcome = execute(operation, call, callOptions, true);
            return outcome;
          }),
        );
        return outcome as Promise<StoreCallOutcome<never>>;
      }
      // Probing: wait for the probe, within this call's own deadline.
      if (probe === undefined) return Promise.resolve(SKIPPED);
      return execute(operation, call, callOptions, false, probe);
    },
    close() {
      closed = true;
      clearTimeout(probeTimer);
      probeTimer = undefined;
    },
  };
}

/**
 * Runs an observer's callback; an exception it throws cannot break the guard's state: it is
 * rethrown on the next tick, as `node:diagnostics_channel` does with a subscriber's.
 */
function notify(callback: () => void): void {
  try {
    callback();
  } catch (error) {
    process.nextTick(() => {
      throw error;
    });
  }
}

/** A store's failure as a Rampart error: kept when it is one, else wrapped as `E_UNAVAILABLE`. */
export function toStoreError(label: string, operation: string, error: unknown): RampartError {
  if (isRampartError(error)) return error;
  const message = error instanceof Error ? error.message : describeValue(error);
  return new UnavailableError(`${label}: ${operation} failed: ${message}`, {
    cause: error,
    captureStack: false,
    context: { operation },
  });
}
