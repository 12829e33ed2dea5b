import { invalidArgument } from '@rampart/errors';
import type { CircuitBreaker } from '../circuit-breaker.ts';
import type { CircuitRejectionReason } from '../events.ts';
import type { CircuitFallback, CircuitFunction, ExecuteOptions } from '../options.ts';
import type { CircuitBreakerSnapshot } from '../snapshot.ts';
import { publishRejected } from './channels.ts';
import { isPromiseLike } from './promise-like.ts';
import { disposedError, rejectionError } from './rejection.ts';
import type { Settings } from './settings.ts';
import { CircuitStateMachine } from './state-machine.ts';
import { TimedCall } from './timed-call.ts';

/**
 * A breaker: the {@link CircuitStateMachine} plus running calls (the untimed fast path, or a
 * {@link TimedCall} when the call can end early), capacity, fallbacks and disposal. Its public
 * methods beyond {@link CircuitBreaker} serve {@link TimedCall} and the registry only.
 */
export class CircuitEngine<Args extends unknown[], Result>
  extends CircuitStateMachine
  implements CircuitBreaker<Args, Result>
{
  readonly fn: CircuitFunction<Args, Result>;
  readonly fallback: CircuitFallback<Args, Result> | undefined;
  /**
   * Called once by {@link CircuitEngine.dispose}; the registry forgets the breaker there. One
   * function shared by every breaker of a registry, so it costs no memory per breaker.
   */
  onDispose: ((breaker: CircuitEngine<Args, Result>) => void) | undefined = undefined;
  /** Aborts the signal of calls that have no controller of their own; created on first use. */
  #lifetime: AbortController | null = null;
  /** Head of the doubly linked list of undecided timed calls, for dispose. */
  #calls: TimedCall<Args, Result> | null = null;

  constructor(
    name: string,
    fn: CircuitFunction<Args, Result>,
    settings: Settings,
    fallback: CircuitFallback<Args, Result> | undefined,
    initialState: CircuitBreakerSnapshot | undefined,
  ) {
    super(name, settings, initialState);
    this.fn = fn;
    this.fallback = fallback;
  }

  execute(...args: Args): Promise<Result> {
    return this.#run(args, undefined);
  }

  executeWith(options: ExecuteOptions, ...args: Args): Promise<Result> {
    if (typeof options !== 'object' || options === null) {
      return Promise.reject(
        invalidArgument('executeWith', 'options', 'must be an object', options),
      );
    }
    const signal: unknown = options.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      return Promise.reject(
        invalidArgument('executeWith', 'options.signal', 'must be an AbortSignal', signal),
      );
    }
    return this.#run(args, signal);
  }

  #run(args: Args, callerSignal: AbortSignal | undefined): Promise<Result> {
    const settings = this.settings;
    const now = settings.clock.now();
    if (this.frozen) return this.#reject('disposed', args, callerSignal, now);
    if (callerSignal?.aborted === true) return Promise.reject(callerSignal.reason);
    const admission = this.admit(now);
    if (admission !== 'call' && admission !== 'probe') {
      return this.#reject(admission, args, callerSignal, now);
    }
    const probe = admission === 'probe';
    const generation = this.generation;
    if (this.inFlight >= settings.capacity) {
      this.unadmit(probe, generation);
      return this.#reject('capacity', args, callerSignal, now);
    }
    this.inFlight++;
    if (settings.timeoutMs === 0 && callerSignal === undefined) {
      return this.#runUntimed(args, now, probe, generation);
    }
    return new TimedCall(this, args, callerSignal, now, probe, generation).promise;
  }

  /** The fast path: no timeout and no caller signal, so nothing can end the call early. */
  #runUntimed(args: Args, startedAt: number, probe: boolean, generation: number): Promise<Result> {
    let result: Result | PromiseLike<Result>;
    let thenable: boolean;
    try {
      result = this.fn(...args, this.lifetimeSignal());
      // Inside the try: a throwing `then` getter or Proxy is the call's failure, not ours.
      thenable = isPromiseLike(result);
    } catch (error) {
      this.inFlight--;
      return this.settleError(error, args, undefined, startedAt, probe, generation);
    }
    if (!thenable) {
      this.inFlight--;
      this.settleValue(startedAt, probe, generation);
      return Promise.resolve(result);
    }
    return Promise.resolve(result).then(
      (value) => {
        this.inFlight--;
        this.settleValue(startedAt, probe, generation);
        return value;
      },
      (error: unknown) => {
        this.inFlight--;
        return this.settleError(error, args, undefined, startedAt, probe, generation);
      },
    );
  }

  /** Accounts for a call whose function resolved: a success, or a slow call. */
  settleValue(startedAt: number, probe: boolean, generation: number): void {
    const now = this.settings.clock.now();
    const durationMs = now - startedAt;
    const outcome = durationMs > this.settings.slowCallMs ? 'slow' : 'success';
    this.finish(outcome, durationMs, now, probe, generation, undefined);
  }

  /**
   * Accounts for a call whose function threw, and settles it: with the fallback for a
   * failure, else with the error itself.
   */
  settleError(
    error: unknown,
    args: Args,
    callerSignal: AbortSignal | undefined,
    startedAt: number,
    probe: boolean,
    generation: number,
  ): Promise<Result> {
    const now = this.settings.clock.now();
    const durationMs = now - startedAt;
    let failure = true;
    try {
      failure = this.settings.isFailure(error) !== false;
    } catch {
      // A classifier that throws cannot vouch for the dependency: count a failure.
    }
    const slow = durationMs > this.settings.slowCallMs;
    const outcome = failure ? 'failure' : slow ? 'slow' : 'ignored';
    this.finish(outcome, durationMs, now, probe, generation, error);
    return failure ? this.recover(error, args, callerSignal) : Promise.reject(error);
  }

  /** Settles a call that produced no result: with the fallback when there is one. */
  recover(error: unknown, args: Args, callerSignal: AbortSignal | undefined): Promise<Result> {
    const fallback = this.fallback;
    if (fallback === undefined) return Promise.reject(error);
    try {
      const signal = callerSignal ?? this.lifetimeSignal();
      return Promise.resolve(fallback({ error, args, signal }));
    } catch (fallbackError) {
      return Promise.reject(fallbackError);
    }
  }

  #reject(
    reason: CircuitRejectionReason,
    args: Args,
    callerSignal: AbortSignal | undefined,
    now: number,
  ): Promise<Result> {
    if (reason === 'disposed') {
      const error = disposedError(this.name);
      publishRejected(this.name, reason, this.state, undefined, error);
      return Promise.reject(error);
    }
    const retryAfterMs =
      reason === 'open'
        ? this.retryAfterMs(now)
        : reason === 'half-open'
          ? this.probeSlotAfterMs(now)
          : undefined;
    const error = rejectionError(this.name, reason, retryAfterMs, this.settings);
    this.recordRejection(reason, now);
    publishRejected(this.name, reason, this.state, retryAfterMs, error);
    return this.recover(error, args, callerSignal);
  }

  /** The signal of calls nothing else can abort: it aborts only on dispose. */
  lifetimeSignal(): AbortSignal {
    this.#lifetime ??= new AbortController();
    return this.#lifetime.signal;
  }

  /** Adds an undecided timed call to the list dispose walks. */
  track(call: TimedCall<Args, Result>): void {
    call.next = this.#calls;
    if (this.#calls !== null) this.#calls.previous = call;
    this.#calls = call;
  }

  /** Removes a decided timed call from that list. */
  untrack(call: TimedCall<Args, Result>): void {
    if (call.previous !== null) call.previous.next = call.next;
    else if (this.#calls === call) this.#calls = call.next;
    if (call.next !== null) call.next.previous = call.previous;
    call.previous = null;
    call.next = null;
  }

  async dispose(): Promise<void> {
    if (this.frozen) return;
    this.freeze();
    const error = disposedError(this.name);
    let call = this.#calls;
    this.#calls = null;
    while (call !== null) {
      const next = call.next;
      call.previous = null;
      call.next = null;
      call.cancel(error);
      call = next;
    }
    this.#lifetime?.abort(error);
    this.onDispose?.(this);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.dispose();
  }
}
