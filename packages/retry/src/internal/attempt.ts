import { TimeoutError } from '@rampart/errors';
import { MAX_TIMER_MS } from '../backoff.ts';
import type { AttemptContext } from '../types.ts';
import type { RetrySettings } from './settings.ts';

/** What an attempt needs to know about its call. */
export interface AttemptOwner {
  readonly settings: RetrySettings;
  readonly signal: AbortSignal | undefined;
  readonly startedAt: number;
}

/** Marks "not aborted" apart from any reason a caller may abort with, `undefined` included. */
const NOT_ABORTED: unique symbol = Symbol('not aborted');

/**
 * One attempt: its context for the user's function and everything that can end it early.
 * Nothing is allocated up front: {@link Attempt.begin} listens to the caller's signal and
 * starts the attempt timer only when those exist, and the attempt's own `AbortController`
 * (with a timer for the deadline, when no attempt timer runs) is created on the first read of
 * `signal`. The caller's abort and the attempt timer (which fires at the attempt timeout or
 * the deadline, whichever is first) make {@link Attempt.race} stop waiting at once; the
 * deadline alone reaches the function through its signal only.
 * {@link Attempt.settle} releases the listener and timer when the attempt ends.
 */
export class Attempt implements AttemptContext {
  readonly attempt: number;
  readonly #owner: AttemptOwner;
  #controller: AbortController | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #callerListener: (() => void) | undefined = undefined;
  #abortReason: unknown = NOT_ABORTED;
  /** Set by a hard abort (the caller's, the attempt timer's): the call stops waiting. */
  #stopReason: unknown = NOT_ABORTED;
  #rejectRace: ((reason: unknown) => void) | undefined = undefined;
  #interruptible = false;
  #settled = false;

  constructor(owner: AttemptOwner, attempt: number) {
    this.#owner = owner;
    this.attempt = attempt;
  }

  get signal(): AbortSignal {
    return (this.#controller ?? this.#createController()).signal;
  }

  /** Whether something can abort the attempt, so the call must race it. */
  get interruptible(): boolean {
    return this.#interruptible;
  }

  /** Before the function runs: follow the caller's signal and start the attempt timeout. */
  begin(): void {
    const { signal: caller, settings } = this.#owner;
    if (caller !== undefined) {
      this.#interruptible = true;
      if (caller.aborted) {
        this.#abort(caller.reason, true);
        return;
      }
      const listener = (): void => this.#abort(caller.reason, true);
      // no `once` option (it makes adding slower): #release always removes the listener
      caller.addEventListener('abort', listener);
      this.#callerListener = listener;
    }
    if (settings.attemptTimeoutMs !== Number.POSITIVE_INFINITY) this.#startTimer(true);
  }

  /**
   * Settles like `outcome`, or rejects with the abort reason as soon as the attempt aborts.
   * The abandoned outcome keeps its handlers, so its later rejection is never unhandled.
   */
  race<Result>(outcome: PromiseLike<Result>): Promise<Result> {
    return new Promise<Result>((resolve, reject) => {
      if (this.#stopReason !== NOT_ABORTED) reject(this.#stopReason);
      else this.#rejectRace = reject;
      outcome.then(
        (value) => {
          this.settle();
          resolve(value);
        },
        (error: unknown) => {
          this.settle();
          reject(error);
        },
      );
    });
  }

  /** The attempt ended: release its listener and timer; a later `signal` read stays inert. */
  settle(): void {
    this.#settled = true;
    this.#rejectRace = undefined;
    this.#release();
  }

  #createController(): AbortController {
    const controller = new AbortController();
    this.#controller = controller;
    if (this.#abortReason !== NOT_ABORTED) controller.abort(this.#abortReason);
    else if (!this.#settled && this.#timer === undefined) this.#startTimer(false);
    return controller;
  }

  /**
   * One timer (unref'd only when the policy asks) for whichever comes first: the attempt timeout or the deadline. A `hard`
   * timer (the attempt timeout's) also stops the call waiting for the attempt.
   */
  #startTimer(hard: boolean): void {
    const { settings, startedAt } = this.#owner;
    const remainingMs = settings.maxElapsedMs - (settings.clock.now() - startedAt);
    const timeoutFirst = settings.attemptTimeoutMs < remainingMs;
    const waitMs = timeoutFirst ? settings.attemptTimeoutMs : remainingMs;
    if (waitMs === Number.POSITIVE_INFINITY) return;
    if (hard) this.#interruptible = true;
    if (waitMs <= 0) {
      this.#abort(this.#timeoutError(false), hard);
      return;
    }
    const timer = setTimeout(
      () => this.#abort(this.#timeoutError(timeoutFirst), hard),
      Math.min(waitMs, MAX_TIMER_MS),
    );
    if (settings.unref) timer.unref();
    this.#timer = timer;
  }

  /** Aborts the signal (first reason wins); a `hard` abort also ends the wait for the attempt. */
  #abort(reason: unknown, hard: boolean): void {
    if (this.#settled) return;
    if (this.#abortReason === NOT_ABORTED) {
      this.#abortReason = reason;
      this.#controller?.abort(reason);
    }
    if (!hard) return;
    this.#stopReason = reason;
    this.#release();
    const reject = this.#rejectRace;
    if (reject !== undefined) {
      this.#rejectRace = undefined;
      this.#settled = true;
      reject(reason);
    }
  }

  #release(): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const listener = this.#callerListener;
    if (listener !== undefined) {
      this.#callerListener = undefined;
      this.#owner.signal?.removeEventListener('abort', listener);
    }
  }

  #timeoutError(attemptTimeout: boolean): TimeoutError {
    const { name, attemptTimeoutMs, maxElapsedMs } = this.#owner.settings;
    const attempt = this.attempt;
    return attemptTimeout
      ? new TimeoutError(`${name}: attempt ${attempt} timed out after ${attemptTimeoutMs} ms`, {
          captureStack: false,
          context: { name, attempt, attemptTimeoutMs },
        })
      : new TimeoutError(
          `${name}: the deadline of ${maxElapsedMs} ms passed during attempt ${attempt}`,
          {
            captureStack: false,
            context: { name, attempt, maxElapsedMs },
          },
        );
  }
}
