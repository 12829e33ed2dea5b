import type { FailoverDecision } from '../classify.ts';
import type { FailoverSkipReason } from '../events.ts';
import type { ExhaustedReason, LatencyPercentileName } from '../options.ts';
import type { ProviderAvailability } from '../state.ts';
import { type Attempt, createAttempt, type FailoverCore, type HedgeSettings } from './core.ts';
import { rateLimitCooldownMs } from './error-fields.ts';
import { exhaustedError } from './exhausted-error.ts';
import type { ProviderSlot } from './provider-slot.ts';
import {
  exhaustedChannel,
  fallbackUsedChannel,
  hedgeChannel,
  publishAttempt,
  skippedChannel,
} from './publish.ts';

const QUANTILES: Readonly<Record<LatencyPercentileName, number>> = {
  p50: 0.5,
  p90: 0.9,
  p95: 0.95,
  p99: 0.99,
};

function noop(): void {}

/** Given to a last resort when the caller passed no signal. */
const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/**
 * One {@link Failover.execute} call: walks the providers in the strategy's order, spends the
 * retry budget on every fallback and hedge, hedges slow providers, and settles exactly once
 * (with the first answer, a stopping error, the last resort, an `UnavailableError`, or the
 * caller's abort reason). Nothing starts after it settled.
 */
export class Execution<Input, Output> {
  readonly promise: Promise<Output>;
  readonly #core: FailoverCore<Input, Output>;
  readonly #input: Input;
  readonly #signal: AbortSignal | undefined;
  readonly #candidates: readonly ProviderSlot<Input, Output>[];
  readonly #resolve: (value: Output) => void;
  readonly #reject: (reason: unknown) => void;
  /** The provider calls in flight: at most one without hedging, so no array is needed then. */
  #single: Attempt<Input, Output> | undefined = undefined;
  #several: Attempt<Input, Output>[] | undefined = undefined;
  #next = 0;
  #attempts = 0;
  #called = 0;
  #hedges = 0;
  #lastError: unknown = undefined;
  #budgetSpent = false;
  #settled = false;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #onAbort: (() => void) | undefined = undefined;

  /**
   * Starts walking `candidates` (the strategy's order for this call; the budget has already
   * been credited for it), or, with `resume`, continues after the first provider call failed.
   */
  constructor(
    core: FailoverCore<Input, Output>,
    input: Input,
    signal: AbortSignal | undefined,
    candidates: readonly ProviderSlot<Input, Output>[],
    resume?: { readonly failed: Attempt<Input, Output>; readonly error: unknown },
  ) {
    let resolve: (value: Output) => void = noop;
    let reject: (reason: unknown) => void = noop;
    this.promise = new Promise<Output>((onValue, onError) => {
      resolve = onValue;
      reject = onError;
    });
    this.#resolve = resolve;
    this.#reject = reject;
    this.#core = core;
    this.#input = input;
    this.#signal = signal;
    this.#candidates = candidates;
    if (signal !== undefined) {
      const onAbort = (): void => {
        this.cancel(signal.reason);
      };
      this.#onAbort = onAbort;
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (resume !== undefined) {
      this.#next = 1;
      this.#attempts = resume.failed.attempt;
      this.#failed(resume.failed, resume.error);
    } else if (!this.#launch(undefined)) this.#exhaust();
  }

  /** Rejects the call with `reason` and abandons every provider call in flight. */
  cancel(reason: unknown): void {
    if (this.#settled) return;
    this.#settle(reason);
    this.#reject(reason);
  }

  /** Starts the next available provider; `false` when none is left or the budget is spent. */
  #launch(waitingOn: Attempt<Input, Output> | undefined): boolean {
    const core = this.#core;
    if (core.disposedError !== undefined) {
      this.cancel(core.disposedError);
      return true;
    }
    const candidates = this.#candidates;
    while (this.#next < candidates.length) {
      const slot = candidates[this.#next++] as ProviderSlot<Input, Output>;
      const now = core.clock.now();
      const availability = slot.availability(now);
      if (availability !== 'available') {
        this.#skipped(slot, availability, availability, now);
        continue;
      }
      if (this.#attempts > 0 && core.budget !== undefined && !core.budget.tryRetry()) {
        this.#budgetSpent = true;
        this.#next = candidates.length;
        this.#skipped(slot, 'budget', availability, now);
        return false;
      }
      this.#start(slot, now, waitingOn);
      return true;
    }
    return false;
  }

  #start(
    slot: ProviderSlot<Input, Output>,
    now: number,
    waitingOn: Attempt<Input, Output> | undefined,
  ): void {
    const core = this.#core;
    slot.calls++;
    core.traffic.record(slot.index);
    const controller = core.hedge === undefined ? undefined : new AbortController();
    const attempt = createAttempt(slot, ++this.#attempts, now, waitingOn !== undefined, controller);
    this.#track(attempt);
    if (waitingOn !== undefined && hedgeChannel.hasSubscribers) {
      hedgeChannel.publish({
        name: core.name,
        waitingOn: waitingOn.slot.name,
        provider: slot.name,
        delayMs: now - waitingOn.startedAt,
        hedge: this.#hedges,
      });
    }
    const signal = controller?.signal ?? this.#signal;
    const call =
      signal === undefined
        ? slot.breaker.execute(this.#input, attempt)
        : slot.breaker.executeWith({ signal }, this.#input, attempt);
    call.then(
      (value) => this.#succeeded(attempt, value),
      (error: unknown) => this.#failed(attempt, error),
    );
    if (core.hedge !== undefined && this.#hedges < core.hedge.maxHedges) this.#armHedge(attempt);
  }

  #armHedge(attempt: Attempt<Input, Output>): void {
    const hedge = this.#core.hedge as HedgeSettings;
    if (this.#next >= this.#candidates.length) return;
    const latency = attempt.slot.latency;
    let delayMs: number;
    if (typeof hedge.delayMs === 'number') delayMs = hedge.delayMs;
    else if (latency.samples >= hedge.minSamples) {
      delayMs = Math.max(1, Math.ceil(latency.quantile(QUANTILES[hedge.delayMs])));
    } else return;
    this.#clearTimer();
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#settled) return;
      this.#hedges++;
      if (!this.#launch(attempt)) this.#hedges--;
    }, delayMs);
  }

  #succeeded(attempt: Attempt<Input, Output>, value: Output): void {
    this.#untrack(attempt);
    const durationMs = this.#core.clock.now() - attempt.startedAt;
    attempt.slot.latency.record(durationMs);
    this.#called++;
    publishAttempt(this.#core.name, attempt, 'success', durationMs, undefined);
    if (this.#settled) return;
    this.#settle(undefined);
    this.#resolve(value);
  }

  #failed(attempt: Attempt<Input, Output>, error: unknown): void {
    this.#untrack(attempt);
    const core = this.#core;
    const now = core.clock.now();
    const durationMs = now - attempt.startedAt;
    if (this.#settled || attempt.abandoned || core.disposedError !== undefined) {
      publishAttempt(this.#core.name, attempt, 'aborted', durationMs, error);
      if (core.disposedError !== undefined) this.cancel(core.disposedError);
      return;
    }
    const slot = attempt.slot;
    this.#lastError = error;
    if (!attempt.called) {
      publishAttempt(this.#core.name, attempt, 'rejected', durationMs, error);
    } else {
      this.#called++;
      slot.failures++;
      const cooldownMs = rateLimitCooldownMs(error);
      if (cooldownMs !== undefined) slot.coolDown(now, cooldownMs);
      let decision: FailoverDecision = 'next';
      try {
        const context = { provider: slot.name, attempt: attempt.attempt };
        decision = core.classify(error, context) === 'stop' ? 'stop' : 'next';
      } catch {
        // A classifier that throws cannot say the input is wrong: move on.
      }
      publishAttempt(
        this.#core.name,
        attempt,
        decision === 'stop' ? 'stopped' : 'failure',
        durationMs,
        error,
      );
      if (decision === 'stop') {
        this.cancel(error);
        return;
      }
    }
    if (this.#single !== undefined || (this.#several?.length ?? 0) > 0) return;
    this.#clearTimer();
    if (!this.#launch(undefined)) this.#exhaust();
  }

  /** No provider can answer: the last resort's answer, or an `UnavailableError`. */
  #exhaust(): void {
    if (this.#settled) return;
    const core = this.#core;
    const reason: ExhaustedReason = this.#budgetSpent
      ? 'budget-exhausted'
      : this.#called === 0
        ? 'all-unavailable'
        : 'all-failed';
    const error = exhaustedError(core.name, reason, core.slots, core.clock.now(), this.#lastError);
    const lastResort = core.lastResort;
    if (exhaustedChannel.hasSubscribers) {
      exhaustedChannel.publish({
        name: core.name,
        reason,
        attempts: this.#attempts,
        retryAfterMs: error.retryAfterMs,
        lastResort: lastResort !== undefined,
      });
    }
    if (lastResort === undefined) {
      this.cancel(error);
      return;
    }
    const used = (succeeded: boolean): void => {
      if (fallbackUsedChannel.hasSubscribers) {
        fallbackUsedChannel.publish({ name: core.name, reason, succeeded });
      }
    };
    let result: Output | PromiseLike<Output>;
    try {
      result = lastResort({
        input: this.#input,
        reason,
        error,
        signal: this.#signal ?? NEVER_ABORTED,
      });
    } catch (lastResortError) {
      used(false);
      this.cancel(lastResortError);
      return;
    }
    Promise.resolve(result).then(
      (value) => {
        used(true);
        if (this.#settled) return;
        this.#settle(undefined);
        this.#resolve(value);
      },
      (lastResortError: unknown) => {
        used(false);
        this.cancel(lastResortError);
      },
    );
  }

  /** Marks the call settled, stops the hedge timer and abandons the calls still in flight. */
  #settle(reason: unknown): void {
    this.#settled = true;
    this.#clearTimer();
    if (this.#onAbort !== undefined) this.#signal?.removeEventListener('abort', this.#onAbort);
    const single = this.#single;
    if (single !== undefined) this.#abandon(single, reason);
    const several = this.#several;
    if (several !== undefined) for (const attempt of several) this.#abandon(attempt, reason);
  }

  #abandon(attempt: Attempt<Input, Output>, reason: unknown): void {
    attempt.abandoned = true;
    attempt.controller?.abort(reason ?? lostHedge(this.#core.name));
  }

  #clearTimer(): void {
    if (this.#timer === undefined) return;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #track(attempt: Attempt<Input, Output>): void {
    if (this.#single === undefined && (this.#several?.length ?? 0) === 0) {
      this.#single = attempt;
      return;
    }
    this.#several ??= [];
    if (this.#single !== undefined) {
      this.#several.push(this.#single);
      this.#single = undefined;
    }
    this.#several.push(attempt);
  }

  #untrack(attempt: Attempt<Input, Output>): void {
    if (this.#single === attempt) {
      this.#single = undefined;
      return;
    }
    const several = this.#several;
    const index = several === undefined ? -1 : several.indexOf(attempt);
    if (index >= 0) several?.splice(index, 1);
  }

  #skipped(
    slot: ProviderSlot<Input, Output>,
    reason: FailoverSkipReason,
    availability: ProviderAvailability,
    now: number,
  ): void {
    if (!skippedChannel.hasSubscribers) return;
    skippedChannel.publish({
      name: this.#core.name,
      provider: slot.name,
      reason,
      availability,
      retryAfterMs: slot.retryAfterMs(now, availability),
    });
  }
}

/** The reason the signal of a provider call is aborted with when another one answered. */
function lostHedge(name: string): Error {
  const error = new Error(`Failover "${name}": another provider answered first`);
  error.name = 'AbortError';
  return error;
}
