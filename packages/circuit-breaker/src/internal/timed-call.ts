import { type Clock, TimeoutError } from '@rampart/errors';
import { isPromiseLike } from './promise-like.ts';

/** What a {@link TimedCall} needs from its breaker. */
export interface CallHost<Args extends unknown[], Result> {
  readonly name: string;
  readonly fn: (...args: [...Args, AbortSignal]) => Result | PromiseLike<Result>;
  readonly settings: { readonly timeoutMs: number; readonly clock: Clock };
  inFlight: number;
  settleValue(startedAt: number, probe: boolean, generation: number): void;
  settleError(
    error: unknown,
    args: Args,
    callerSignal: AbortSignal | undefined,
    startedAt: number,
    probe: boolean,
    generation: number,
  ): Promise<Result>;
  finish(
    outcome: 'timeout' | 'aborted',
    durationMs: number,
    now: number,
    probe: boolean,
    generation: number,
    error: unknown,
  ): void;
  recover(error: unknown, args: Args, callerSignal: AbortSignal | undefined): Promise<Result>;
  track(call: TimedCall<Args, Result>): void;
  untrack(call: TimedCall<Args, Result>): void;
}

function onTimeout(call: { timeout(): void }): void {
  call.timeout();
}

function noop(): void {}

/**
 * A call that can end before its function does: on its timeout, its caller's abort, or
 * dispose. It owns an `AbortController` whose signal only this call's function sees, so a
 * timeout aborts this call's work and nothing else. The call is *decided* once (the caller's
 * promise settles and the outcome is counted); its capacity slot is released separately,
 * when the function really ends.
 */
export class TimedCall<Args extends unknown[], Result> {
  readonly promise: Promise<Result>;
  /** Neighbours in the breaker's list of undecided calls. */
  previous: TimedCall<Args, Result> | null = null;
  next: TimedCall<Args, Result> | null = null;
  readonly #host: CallHost<Args, Result>;
  readonly #args: Args;
  readonly #callerSignal: AbortSignal | undefined;
  readonly #startedAt: number;
  readonly #probe: boolean;
  readonly #generation: number;
  readonly #controller = new AbortController();
  readonly #resolve: (value: Result | PromiseLike<Result>) => void;
  readonly #reject: (reason: unknown) => void;
  #timer: NodeJS.Timeout | undefined = undefined;
  #decided = false;

  constructor(
    host: CallHost<Args, Result>,
    args: Args,
    callerSignal: AbortSignal | undefined,
    startedAt: number,
    probe: boolean,
    generation: number,
  ) {
    let resolve: (value: Result | PromiseLike<Result>) => void = noop;
    let reject: (reason: unknown) => void = noop;
    this.promise = new Promise<Result>((onResolve, onReject) => {
      resolve = onResolve;
      reject = onReject;
    });
    this.#resolve = resolve;
    this.#reject = reject;
    this.#host = host;
    this.#args = args;
    this.#callerSignal = callerSignal;
    this.#startedAt = startedAt;
    this.#probe = probe;
    this.#generation = generation;
    let result: Result | PromiseLike<Result>;
    let thenable: boolean;
    try {
      result = host.fn(...args, this.#controller.signal);
      // Inside the try: a throwing `then` getter or Proxy is the call's failure, not ours.
      thenable = isPromiseLike(result);
    } catch (error) {
      host.inFlight--;
      this.#decided = true;
      resolve(host.settleError(error, args, callerSignal, startedAt, probe, generation));
      return;
    }
    if (!thenable) {
      host.inFlight--;
      this.#decided = true;
      host.settleValue(startedAt, probe, generation);
      resolve(result);
      return;
    }
    host.track(this);
    const { timeoutMs } = host.settings;
    if (timeoutMs > 0) {
      // Not unref()ed: the caller awaits this call, and its timeout is what ends it.
      this.#timer = setTimeout(onTimeout, timeoutMs, this);
    }
    if (callerSignal !== undefined) {
      if (callerSignal.aborted) this.handleEvent();
      else callerSignal.addEventListener('abort', this);
    }
    Promise.resolve(result).then(
      (value) => this.#fulfilled(value),
      (error: unknown) => this.#rejected(error),
    );
  }

  /** The caller's signal aborted (an `EventListener` object, so no closure is allocated). */
  handleEvent(): void {
    if (this.#decided) return;
    const reason: unknown = this.#callerSignal?.reason;
    this.#decide();
    const now = this.#host.settings.clock.now();
    this.#host.finish('aborted', now - this.#startedAt, now, this.#probe, this.#generation, reason);
    this.#controller.abort(reason);
    this.#reject(reason);
  }

  /** The call ran out of time: reject it, count a timeout, abort its function's signal. */
  timeout(): void {
    this.#timer = undefined;
    if (this.#decided) return;
    this.#decide();
    const host = this.#host;
    const now = host.settings.clock.now();
    const timeoutMs = host.settings.timeoutMs;
    const error = new TimeoutError(
      `Circuit "${host.name}": the call timed out after ${timeoutMs} ms`,
      { context: { circuit: host.name, timeoutMs }, captureStack: false },
    );
    host.finish('timeout', now - this.#startedAt, now, this.#probe, this.#generation, error);
    this.#controller.abort(error);
    this.#resolve(host.recover(error, this.#args, this.#callerSignal));
  }

  /** The breaker was disposed (it already unlinked this call). */
  cancel(error: unknown): void {
    if (this.#decided) return;
    this.#decided = true;
    this.#clearTimerAndListener();
    this.#controller.abort(error);
    this.#reject(error);
  }

  #fulfilled(value: Result): void {
    this.#host.inFlight--;
    if (this.#decided) return;
    this.#decide();
    this.#host.settleValue(this.#startedAt, this.#probe, this.#generation);
    this.#resolve(value);
  }

  #rejected(error: unknown): void {
    const host = this.#host;
    host.inFlight--;
    if (this.#decided) return;
    this.#decide();
    this.#resolve(
      host.settleError(
        error,
        this.#args,
        this.#callerSignal,
        this.#startedAt,
        this.#probe,
        this.#generation,
      ),
    );
  }

  #decide(): void {
    this.#decided = true;
    this.#clearTimerAndListener();
    this.#host.untrack(this);
  }

  #clearTimerAndListener(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#callerSignal?.removeEventListener('abort', this);
  }
}
