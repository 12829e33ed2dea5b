import type { CircuitIsolation } from '../circuit-breaker.ts';
import type { CircuitState } from '../circuit-state.ts';
import type {
  CircuitCallOutcome,
  CircuitRejectionReason,
  CircuitStateChangeReason,
} from '../events.ts';
import type { CircuitBreakerSnapshot } from '../snapshot.ts';
import type { CircuitBreakerStats } from '../stats.ts';
import { publishCall, publishState } from './channels.ts';
import { estimateQuantile } from './latency.ts';
import { COUNTER, type Counter, RollingWindow } from './rolling-window.ts';
import type { Settings } from './settings.ts';

const OUTCOME_COUNTER: Readonly<Record<CircuitCallOutcome, Counter>> = {
  success: COUNTER.successes,
  slow: COUNTER.slowCalls,
  failure: COUNTER.failures,
  ignored: COUNTER.ignored,
  timeout: COUNTER.timeouts,
  aborted: COUNTER.aborted,
};

/** What {@link CircuitStateMachine.admit} decided: run the call (as a probe or not), or why not. */
export type Admission = 'call' | 'probe' | Exclude<CircuitRejectionReason, 'capacity' | 'disposed'>;

/**
 * The state machine of a breaker: admission by state and half-open probes, outcome
 * accounting over the rolling window, transitions, backoff, manual control, statistics and
 * export. {@link CircuitEngine} adds running calls on top.
 *
 * Every state change bumps `generation`; a call remembers the generation it was admitted
 * in, and an outcome from an older generation is published but neither counted nor allowed
 * to move the state (a slow call admitted before the circuit opened cannot close it).
 */
export class CircuitStateMachine {
  readonly name: string;
  readonly settings: Settings;
  /** Calls whose guarded function has not ended (capacity accounting). */
  inFlight = 0;
  readonly #window: RollingWindow;
  #state: CircuitState = 'closed';
  #generation = 0;
  #retryAt = 0;
  #consecutiveOpens = 0;
  #isolations = 0;
  #isolationEpoch = 0;
  #probes = 0;
  #probeSuccesses = 0;
  /** When the latest trial call was admitted. */
  #lastProbeAt = 0;
  #frozen = false;

  constructor(name: string, settings: Settings, initialState: CircuitBreakerSnapshot | undefined) {
    this.name = name;
    this.settings = settings;
    const now = settings.clock.now();
    this.#window = new RollingWindow(settings, now);
    if (initialState !== undefined) this.#hydrate(initialState, now);
  }

  get state(): CircuitState {
    if (this.#state === 'open') this.#refresh(this.settings.clock.now());
    return this.#state;
  }

  /** The generation calls admitted now belong to. */
  get generation(): number {
    return this.#generation;
  }

  /** Milliseconds until an open circuit admits a trial call (0 once due). */
  retryAfterMs(now: number): number {
    return Math.max(0, this.#retryAt - now);
  }

  /**
   * Milliseconds until a busy half-open circuit has a free trial slot at the latest: when the
   * latest trial call times out. Unknown without a timeout.
   */
  probeSlotAfterMs(now: number): number | undefined {
    const { timeoutMs } = this.settings;
    return timeoutMs === 0 ? undefined : Math.max(0, this.#lastProbeAt + timeoutMs - now);
  }

  /** Decides whether a call may run now, taking a half-open trial slot when it is a probe. */
  admit(now: number): Admission {
    if (this.#state === 'closed') return 'call';
    this.#refresh(now);
    if (this.#state === 'open') return 'open';
    if (this.#state === 'isolated') return 'isolated';
    if (this.#probes >= this.settings.halfOpenProbes) return 'half-open';
    this.#probes++;
    this.#lastProbeAt = now;
    return 'probe';
  }

  /** Gives back a trial slot taken by {@link CircuitStateMachine.admit} for a call that did not run. */
  unadmit(probe: boolean, generation: number): void {
    if (probe && generation === this.#generation) this.#probes--;
  }

  /** Counts a call rejected without running. */
  recordRejection(reason: CircuitRejectionReason, now: number): void {
    this.#window.advance(now);
    this.#window.record(reason === 'capacity' ? COUNTER.capacityRejected : COUNTER.rejected, -1);
  }

  /** Counts an outcome, publishes it, and moves the state machine. */
  finish(
    outcome: CircuitCallOutcome,
    durationMs: number,
    now: number,
    probe: boolean,
    generation: number,
    error: unknown,
  ): void {
    const current = generation === this.#generation;
    if (current) {
      this.#window.advance(now);
      this.#window.record(OUTCOME_COUNTER[outcome], outcome === 'aborted' ? -1 : durationMs);
    }
    publishCall(this.name, outcome, durationMs, probe, error);
    if (!current || outcome === 'aborted') {
      if (current && probe) this.#probes--;
      return;
    }
    const healthy = outcome === 'success' || outcome === 'ignored';
    if (probe) {
      this.#probes--;
      if (!healthy) this.#open('probe-failed', now);
      else if (++this.#probeSuccesses >= this.settings.successesToClose) {
        this.#close('probes-succeeded');
      }
      return;
    }
    if (!healthy && this.#state === 'closed' && this.#thresholdReached()) {
      this.#open('failure-threshold', now);
    }
  }

  #thresholdReached(): boolean {
    const failures = this.#window.unhealthy;
    const calls = this.#window.healthy + failures;
    return (
      calls >= this.settings.volumeThreshold &&
      failures * 100 >= this.settings.errorThresholdPercentage * calls
    );
  }

  #refresh(now: number): void {
    if (this.#state === 'open' && !this.#frozen && now >= this.#retryAt) {
      this.#transition('half-open', 'reset-timeout', undefined);
    }
  }

  #transition(
    to: CircuitState,
    reason: CircuitStateChangeReason,
    retryAfterMs: number | undefined,
  ): void {
    const from = this.#state;
    this.#state = to;
    this.#generation++;
    this.#probes = 0;
    this.#probeSuccesses = 0;
    publishState(this.name, from, to, reason, this.#window.failureRate, retryAfterMs);
  }

  #open(reason: CircuitStateChangeReason, now: number): void {
    this.#consecutiveOpens++;
    const { resetTimeoutMs, resetBackoffFactor, maxResetTimeoutMs } = this.settings;
    const openForMs = Math.min(
      maxResetTimeoutMs,
      resetTimeoutMs * resetBackoffFactor ** (this.#consecutiveOpens - 1),
    );
    this.#retryAt = now + openForMs;
    this.#transition('open', reason, openForMs);
  }

  #close(reason: CircuitStateChangeReason): void {
    this.#consecutiveOpens = 0;
    this.#retryAt = 0;
    this.#transition('closed', reason, undefined);
    this.#window.clear();
  }

  isolate(): CircuitIsolation {
    let released = this.#frozen;
    const epoch = this.#isolationEpoch;
    if (!released) {
      this.#isolations++;
      if (this.#state !== 'isolated') this.#transition('isolated', 'isolated', undefined);
    }
    const release = (): void => {
      if (released) return;
      released = true;
      if (this.#frozen || epoch !== this.#isolationEpoch) return;
      if (--this.#isolations === 0) this.#transition('half-open', 'released', undefined);
    };
    return { release, [Symbol.dispose]: release };
  }

  reset(): void {
    if (this.#frozen) return;
    this.#isolations = 0;
    this.#isolationEpoch++;
    if (this.#state === 'closed') {
      this.#consecutiveOpens = 0;
      this.#window.clear();
    } else {
      this.#close('reset');
    }
  }

  /** Whether {@link CircuitStateMachine.freeze} was called. */
  get frozen(): boolean {
    return this.#frozen;
  }

  /**
   * Stops the machine for good (on dispose): the state no longer changes and outcomes of
   * calls still running are no longer counted.
   */
  freeze(): void {
    this.#frozen = true;
    this.#generation++;
  }

  stats(): CircuitBreakerStats {
    const now = this.settings.clock.now();
    const state = this.state;
    this.#window.advance(now);
    const { counts, histogram, maxLatencyMs, histogramTotal } = this.#window.totals();
    const count = (counter: Counter): number => counts[counter] ?? 0;
    const quantile = (q: number): number =>
      estimateQuantile(histogram, histogramTotal, maxLatencyMs, q);
    return {
      name: this.name,
      state,
      calls: this.#window.healthy + this.#window.unhealthy,
      successes: count(COUNTER.successes),
      failures: count(COUNTER.failures),
      timeouts: count(COUNTER.timeouts),
      slowCalls: count(COUNTER.slowCalls),
      ignored: count(COUNTER.ignored),
      aborted: count(COUNTER.aborted),
      rejected: count(COUNTER.rejected),
      capacityRejected: count(COUNTER.capacityRejected),
      failureRate: this.#window.failureRate,
      inFlight: this.inFlight,
      retryAfterMs: state === 'open' ? this.retryAfterMs(now) : undefined,
      consecutiveOpens: this.#consecutiveOpens,
      latencyMs: {
        p50: quantile(0.5),
        p90: quantile(0.9),
        p99: quantile(0.99),
        max: maxLatencyMs,
      },
      windowMs: this.settings.rollingWindowMs,
    };
  }

  toJSON(): CircuitBreakerSnapshot {
    const now = this.settings.clock.now();
    const state = this.state;
    this.#window.advance(now);
    return {
      name: this.name,
      state,
      retryAt: state === 'open' ? this.#retryAt : null,
      consecutiveOpens: this.#consecutiveOpens,
      exportedAt: now,
      bucketMs: this.settings.bucketMs,
      buckets: this.#window.export(),
    };
  }

  #hydrate(snapshot: CircuitBreakerSnapshot, now: number): void {
    this.#state = snapshot.state;
    this.#consecutiveOpens = snapshot.consecutiveOpens;
    if (snapshot.state === 'open') this.#retryAt = snapshot.retryAt ?? now;
    // An isolation restored from a snapshot has no handle: only reset() ends it.
    if (snapshot.state === 'isolated') this.#isolations = 1;
    this.#window.advance(now);
    this.#window.import(snapshot.buckets, snapshot.bucketMs);
  }
}
