import type { Clock } from '@rampart/errors';
import {
  createStoreGuard,
  type StoreGuard,
  type StoreHealth,
  type StoreState,
} from '@rampart/redis';
import { cacheChannels, type L2Operation } from '../channels.ts';
import type { L2Store } from '../l2-store.ts';
import { type JournalSnapshot, type MissedChange, OutageJournal } from './outage/journal.ts';
import type { Telemetry } from './telemetry.ts';

/** Returned instead of a result when L2 was skipped, failed, timed out or the caller aborted. */
export const L2_UNAVAILABLE: unique symbol = Symbol('rampart.cache.l2-unavailable');

/** Most keys and tags the outage journal holds before it falls back to clearing the namespace. */
export const JOURNAL_MAX_ENTRIES = 10_000;

/** Settings of an {@link L2Guard}. */
export interface L2GuardOptions {
  readonly store: L2Store;
  readonly timeoutMs: number;
  readonly coolDownMs: number;
  readonly failureThreshold: number;
  readonly clock: Clock;
  readonly telemetry: Telemetry;
  /** Most keys and tags journaled while L2 is skipped. */
  readonly journalMaxEntries?: number;
}

/** Replays a journal snapshot against L2 (directly: the guard is probing) and the bus. */
export type JournalReplay = (snapshot: JournalSnapshot, signal: AbortSignal) => Promise<void>;

/**
 * Every L2 call goes through here: `@rampart/redis`'s store guard (deadline, failures,
 * cool-down, a probe on a timer, recovery) plus the cache's side. A call that does not reach
 * L2 resolves with {@link L2_UNAVAILABLE}; failures become `l2-error` events; skips are
 * counted; and the keys and tags a missed write or delete would have changed go into the
 * outage journal, which is replayed before L2 is marked healthy again.
 */
export class L2Guard {
  readonly journal: OutageJournal;
  readonly #guard: StoreGuard;
  readonly #telemetry: Telemetry;
  readonly #retryMs: number;
  #replay: JournalReplay | undefined;
  #flushing = false;
  #flushTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(options: L2GuardOptions) {
    const { store, telemetry } = options;
    this.#telemetry = telemetry;
    this.#retryMs = options.coolDownMs;
    this.journal = new OutageJournal(options.journalMaxEntries ?? JOURNAL_MAX_ENTRIES);
    const ping = store.ping;
    this.#guard = createStoreGuard({
      name: telemetry.name,
      component: 'cache',
      timeoutMs: options.timeoutMs,
      failureThreshold: options.failureThreshold,
      coolDownMs: options.coolDownMs,
      ...(ping === undefined ? {} : { ping: (signal: AbortSignal) => ping.call(store, signal) }),
      beforeRecovery: (signal) => this.#replayJournal(signal),
      onFailure: (failure) => {
        telemetry.l2Error({
          ...(failure.key === undefined ? {} : { key: failure.key }),
          operation: (failure.operation === 'recovery'
            ? 'replay'
            : failure.operation) as L2Operation,
          durationMs: failure.durationMs,
          error: failure.error,
          timedOut: failure.timedOut,
          coolingDown: failure.health.state === 'cooling-down',
        });
      },
      channel: cacheChannels.storeState,
      label: 'L2',
      clock: options.clock,
    });
  }

  /** Where L2 stands. */
  get state(): StoreState {
    return this.#guard.health().state;
  }

  /** L2's health: state, failures in a row, last change, time to the next probe. */
  health(): StoreHealth {
    return this.#guard.health();
  }

  /** Sets how the journal is replayed (the bus and tags are made after the guard). */
  replayWith(replay: JournalReplay): void {
    this.#replay = replay;
  }

  /**
   * Runs `call` under the guard; resolves with its result, or with {@link L2_UNAVAILABLE}
   * (never rejects). When the call does not reach L2 (or may not have), `missed` goes into
   * the journal.
   */
  run<T>(
    operation: L2Operation,
    key: string | undefined,
    call: (signal: AbortSignal) => Promise<T>,
    callerSignal?: AbortSignal,
    missed?: MissedChange,
  ): Promise<T | typeof L2_UNAVAILABLE> {
    return this.#guard.run(operation, call, { key, signal: callerSignal }).then((outcome) => {
      if (outcome.ok) {
        if (!this.journal.empty) this.#flush();
        return outcome.value;
      }
      if (outcome.reason === 'skipped') this.#telemetry.counters.l2Skipped += 1;
      if (missed !== undefined) {
        this.journal.record(missed);
        this.#flushLater();
      }
      return L2_UNAVAILABLE;
    });
  }

  /** Stops the probe and replay timers. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#flushTimer);
    this.#guard.close();
  }

  /** A write failed while L2 stayed healthy: replay the journal in the background. */
  #flush(): void {
    if (this.#flushing || this.state !== 'healthy' || this.#closed) return;
    this.#flushing = true;
    void this.#guard
      .run('replay', (signal) => this.#replayJournal(signal))
      .finally(() => {
        this.#flushing = false;
        this.#flushLater();
      });
  }

  /**
   * While L2 stays healthy (no cool-down, so no probe will replay), retries the journal on an
   * unref'd timer every `coolDownMs` until it is empty, even if no call comes.
   */
  #flushLater(): void {
    if (this.#flushTimer !== undefined || this.journal.empty || this.#closed) return;
    if (this.state !== 'healthy') return;
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = undefined;
      if (!this.journal.empty) this.#flush();
    }, this.#retryMs);
    this.#flushTimer.unref();
  }

  /** Replays the journal; on failure (or the deadline) what it held goes back into it. */
  async #replayJournal(signal: AbortSignal): Promise<void> {
    const replay = this.#replay;
    if (replay === undefined) return;
    const snapshot = this.journal.take();
    let settled = false;
    const putBack = (): void => {
      if (settled) return;
      settled = true;
      this.journal.restore(snapshot);
    };
    signal.addEventListener('abort', putBack, { once: true });
    try {
      await replay(snapshot, signal);
      settled = true;
    } catch (error) {
      putBack();
      throw error;
    } finally {
      signal.removeEventListener('abort', putBack);
    }
  }
}
