import { TimeoutError } from '@rampart/errors';
import type { CacheTier, FactoryOutcome, StaleReason } from '../channels.ts';
import { type CacheEntry, isWithinGrace } from './entry.ts';
import type { Telemetry } from './telemetry.ts';

/** A stale value a load may serve instead of failing, and the tier it came from. */
export interface StaleSource {
  readonly entry: CacheEntry;
  readonly tier: CacheTier;
}

/** Timeouts and grace settings of one load. */
export interface FlightSettings {
  readonly softTimeoutMs: number | undefined;
  readonly hardTimeoutMs: number | undefined;
  readonly graceBackoffMs: number;
  /** The tags of the value being loaded: invalidating one supersedes the load. */
  readonly tags?: readonly string[];
}

/** Why a load finished with a stale value instead of a new one. */
export type FallbackReason = 'factory-error' | 'hard-timeout' | 'locked';

/** What a {@link Flight} needs from its cache. */
export interface FlightHooks {
  readonly telemetry: Telemetry;
  readonly now: () => number;
  /** Called once when the flight has delivered its final outcome. */
  readonly onFinish: (flight: Flight) => void;
}

interface Waiter {
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly signal: AbortSignal | undefined;
  readonly onAbort: (() => void) | undefined;
}

/**
 * One in-flight load of one key, shared by every concurrent caller (single flight). It owns
 * the waiting callers, the stale fallback, the soft and hard timers and the abort signal
 * the factory receives. The loader drives it: it offers stale values, starts and ends the
 * factory, and delivers the value or error; the flight decides who gets what and when.
 *
 * - Soft timeout: waiting callers get the stale value (if any, within grace); the load goes
 *   on in the background and later callers get the stale value at once.
 * - Hard timeout: the signal aborts with a `TimeoutError`; callers get the stale value or
 *   that error.
 * - A caller's abort rejects only that caller; when every caller has aborted, the load is
 *   aborted too.
 */
export class Flight {
  readonly key: string;
  readonly #controller = new AbortController();
  readonly #settings: FlightSettings;
  readonly #hooks: FlightHooks;
  readonly #waiters = new Set<Waiter>();
  #joined = 0;
  #abandoned = 0;
  #stale: StaleSource | undefined;
  #softExpired = false;
  #servedInBackground = false;
  #finished = false;
  #factory: 'idle' | 'running' | 'done' = 'idle';
  #factoryStartedAt = 0;
  #supersededBy: 'key' | 'tag' | undefined;
  readonly #background: boolean;
  #softTimer: NodeJS.Timeout | undefined;
  #hardTimer: NodeJS.Timeout | undefined;

  constructor(
    key: string,
    stale: StaleSource | undefined,
    settings: FlightSettings,
    hooks: FlightHooks,
    background = false,
  ) {
    this.key = key;
    this.#background = background;
    this.#stale = stale;
    this.#settings = settings;
    this.#hooks = hooks;
    if (settings.softTimeoutMs !== undefined) {
      this.#softTimer = setTimeout(() => this.#onSoftTimeout(), settings.softTimeoutMs);
      this.#softTimer.unref();
    }
    if (settings.hardTimeoutMs !== undefined) {
      this.#hardTimer = setTimeout(() => this.#onHardTimeout(), settings.hardTimeoutMs);
      this.#hardTimer.unref();
    }
  }

  /** The signal passed to the factory and to L2 reads. */
  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  /** Whether the final outcome was delivered: the loader stops when it sees this. */
  get finished(): boolean {
    return this.#finished;
  }

  /**
   * Whether the key (or one of the load's tags) was written, deleted or invalidated after the
   * load started, in this process or (through the bus) in another: its value is then still
   * returned to its callers but never written, so it cannot overwrite the newer state. L2's
   * conditional write fences it against changes the bus has not delivered yet.
   */
  get superseded(): boolean {
    return this.#supersededBy !== undefined;
  }

  /** What superseded the load (its key, or one of its tags), if anything did. */
  get supersededBy(): 'key' | 'tag' | undefined {
    return this.#supersededBy;
  }

  /** Whether this is a background refresh started before expiry (no caller waits for it). */
  get background(): boolean {
    return this.#background;
  }

  /** Callers waiting now. */
  get waiting(): number {
    return this.#waiters.size;
  }

  /** Whether a stale value within grace is available to serve. */
  get hasStale(): boolean {
    return this.#hasUsableStale();
  }

  /** Marks the load as older than a write or invalidation of its key. */
  supersede(by: 'key' | 'tag' = 'key'): void {
    this.#supersededBy ??= by;
  }

  /** The stale value the factory may replace, if any. */
  get staleValue(): unknown {
    return this.#stale?.entry.value;
  }

  /** The entry of {@link Flight.staleValue}, if any. */
  get staleEntry(): CacheEntry | undefined {
    return this.#stale?.entry;
  }

  /** The tags of the value being loaded. */
  get tags(): readonly string[] {
    return this.#settings.tags ?? [];
  }

  /** Waits for the outcome on behalf of one caller. */
  join(signal: AbortSignal | undefined): Promise<unknown> {
    if (this.#softExpired && this.#hasUsableStale())
      return Promise.resolve(this.#serveOne('soft-timeout'));
    this.#joined += 1;
    return new Promise((resolve, reject) => {
      let waiter: Waiter;
      const onAbort =
        signal === undefined
          ? undefined
          : () => {
              this.#waiters.delete(waiter);
              reject(signal.reason);
              this.#abandoned += 1;
              if (this.#abandoned === this.#joined && !this.#servedInBackground) {
                this.abort(signal.reason);
              }
            };
      waiter = { resolve, reject, signal, onAbort };
      this.#waiters.add(waiter);
      if (onAbort !== undefined) signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** Offers a stale value; the fresher of the offered ones is kept. */
  offerStale(source: StaleSource): void {
    const current = this.#stale;
    if (current !== undefined && current.entry.graceUntil >= source.entry.graceUntil) return;
    this.#stale = source;
    if (this.#softExpired) this.#serveWaiters('soft-timeout');
  }

  /** Marks the factory as started (for its duration and the timeout bookkeeping). */
  startFactory(): void {
    this.#factory = 'running';
    this.#factoryStartedAt = performance.now();
  }

  /**
   * Reports the factory's end. Returns `false` when the flight already ended it (timeout,
   * abort, close): the loader must then discard the result.
   */
  endFactory(outcome: FactoryOutcome, error?: unknown, publish = true): boolean {
    if (this.#factory !== 'running') return false;
    this.#factory = 'done';
    this.#clearTimers();
    const background = (this.#servedInBackground || this.#background) && this.#waiters.size === 0;
    const durationMs = performance.now() - this.#factoryStartedAt;
    if (publish) this.#hooks.telemetry.factory(this.key, outcome, durationMs, background, error);
    return true;
  }

  /** How long the factory has run (or ran), in milliseconds. */
  get factoryMs(): number {
    return this.#factory === 'idle' ? 0 : performance.now() - this.#factoryStartedAt;
  }

  /** Delivers a value to every waiting caller and finishes. */
  resolve(value: unknown): void {
    if (this.#finished) return;
    for (const waiter of this.#drain()) waiter.resolve(value);
    this.#finish();
  }

  /** Delivers an error to every waiting caller and finishes. */
  reject(error: unknown): void {
    if (this.#finished) return;
    for (const waiter of this.#drain()) waiter.reject(error);
    this.#finish();
  }

  /**
   * Finishes with the stale value when one is within grace (and starts the grace backoff, or
   * `backoffMs`); returns `false`, changing nothing, when there is none.
   */
  fallBackToStale(
    reason: FallbackReason,
    error?: unknown,
    backoffMs: number = this.#settings.graceBackoffMs,
  ): boolean {
    if (this.#finished || !this.#hasUsableStale()) return false;
    const stale = this.#stale;
    if (stale !== undefined && backoffMs > 0) {
      stale.entry.retryAt = this.#hooks.now() + backoffMs;
    }
    this.#serveWaiters(reason, error);
    this.#finish();
    return true;
  }

  /** Aborts the load: the factory's signal aborts and waiting callers get `reason`. */
  abort(reason: unknown): void {
    if (this.#finished) return;
    this.#controller.abort(reason);
    this.endFactory('aborted');
    this.reject(reason);
  }

  #onSoftTimeout(): void {
    this.#softTimer = undefined;
    this.#softExpired = true;
    if (this.#hasUsableStale()) this.#serveWaiters('soft-timeout');
  }

  #onHardTimeout(): void {
    this.#hardTimer = undefined;
    const error = new TimeoutError(
      `Loading "${this.key}" took longer than ${this.#settings.hardTimeoutMs} ms`,
      { context: { key: this.key, hardTimeoutMs: this.#settings.hardTimeoutMs } },
    );
    this.#controller.abort(error);
    this.endFactory('timeout', error);
    if (!this.fallBackToStale('hard-timeout')) this.reject(error);
  }

  #hasUsableStale(): boolean {
    return this.#stale !== undefined && isWithinGrace(this.#stale.entry, this.#hooks.now());
  }

  #serveOne(reason: StaleReason, error?: unknown): unknown {
    const stale = this.#stale;
    if (stale === undefined) return undefined;
    const staleForMs = Math.max(0, this.#hooks.now() - stale.entry.expiresAt);
    this.#hooks.telemetry.stale(this.key, stale.tier, reason, staleForMs, error);
    return stale.entry.value;
  }

  #serveWaiters(reason: StaleReason, error?: unknown): void {
    if (reason === 'soft-timeout' && this.#waiters.size > 0) this.#servedInBackground = true;
    for (const waiter of this.#drain()) waiter.resolve(this.#serveOne(reason, error));
  }

  #drain(): Waiter[] {
    const waiters = [...this.#waiters];
    this.#waiters.clear();
    for (const waiter of waiters) {
      if (waiter.onAbort !== undefined) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    }
    return waiters;
  }

  #clearTimers(): void {
    if (this.#softTimer !== undefined) clearTimeout(this.#softTimer);
    if (this.#hardTimer !== undefined) clearTimeout(this.#hardTimer);
    this.#softTimer = undefined;
    this.#hardTimer = undefined;
  }

  #finish(): void {
    this.#finished = true;
    this.#clearTimers();
    this.#hooks.onFinish(this);
  }
}
