import { MAX_TIMER_MS } from './internal/guard-options.ts';
import type {
  StoreCallOutcome,
  StoreFailure,
  StoreHealth,
  StoreStateEvent,
} from './store-state.ts';

/**
 * The longest duration option a guarded component accepts, in milliseconds (2^31 − 1):
 * Node runs a timer of 2^31 ms or more after 1 ms.
 */
export const MAX_DURATION_MS: number = MAX_TIMER_MS;

/** The guard's three settings, named alike wherever a Rampart package guards a store. */
export interface StoreGuardSettings {
  /**
   * The deadline of every store call and probe, in milliseconds; past it the call counts as
   * a failure and the caller moves on. Below 2^31.
   */
  readonly timeoutMs?: number | undefined;
  /** Failures in a row (errors or timeouts) after which the store cools down. */
  readonly failureThreshold?: number | undefined;
  /**
   * How long the store is skipped after `failureThreshold` failures before a probe, in
   * milliseconds. Below 2^31.
   */
  readonly coolDownMs?: number | undefined;
}

/** Options of {@link createStoreGuard}. */
export interface StoreGuardOptions {
  /** Names the guarded component in events, e.g. the cache's or limiter's name. */
  readonly name: string;
  /** The package guarding the store, in events: `cache`, `rate-limiter` or your own. */
  readonly component: string;
  /** The deadline of every call and probe, in milliseconds (a positive integer below 2^31). */
  readonly timeoutMs: number;
  /** Failures in a row after which the store cools down (a positive integer). */
  readonly failureThreshold: number;
  /** How long the store is skipped before a probe, in milliseconds (positive, below 2^31). */
  readonly coolDownMs: number;
  /**
   * A cheap health check of the store (e.g. Redis `PING`). When given, a timer runs it under
   * the deadline as soon as a cool-down ends, so the reported state is current without any
   * user call; without it, the first call after the cool-down is the probe.
   */
  readonly ping?: ((signal: AbortSignal) => Promise<unknown>) | undefined;
  /**
   * Runs after a successful probe and before the store is marked healthy (e.g. replaying
   * writes the store missed), under its own deadline; when it rejects or misses the deadline,
   * the store cools down again. Calls that arrive meanwhile wait for it.
   */
  readonly beforeRecovery?: ((signal: AbortSignal) => Promise<void>) | undefined;
  /**
   * Told about every failed call and probe (each also counts towards the threshold). An
   * exception it throws does not affect the guard: it is rethrown on the next tick.
   */
  readonly onFailure?: ((failure: StoreFailure) => void) | undefined;
  /**
   * Told about every change of state, whether or not the channel has subscribers. An
   * exception it throws does not affect the guard: it is rethrown on the next tick.
   */
  readonly onStateChange?: ((event: StoreStateEvent) => void) | undefined;
  /**
   * The `node:diagnostics_channel` name to publish a {@link StoreStateEvent} on at every
   * change of state, e.g. `rampart:cache:store-state`.
   */
  readonly channel?: string | undefined;
  /** What the guarded store is called in error messages, e.g. `L2` or `the store`. */
  readonly label?: string | undefined;
  /** The time source of `changedAt` and the cool-down. */
  readonly clock?: { now(): number } | undefined;
}

/** Per-call options of {@link StoreGuard.run}. */
export interface StoreCallOptions {
  /** The key the call is about, passed on in failure reports. */
  readonly key?: string | undefined;
  /** Gives up waiting: the call then ends `aborted` and its signal aborts. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * A deadline, a failure count, a cool-down, one probe and recovery around every call to a
 * store, made by {@link createStoreGuard}.
 */
export interface StoreGuard {
  /** The store's health now (state, failures in a row, last change, time to next probe). */
  health(): StoreHealth;
  /**
   * Runs `call` under the deadline unless the store is cooling down; while a probe runs, the
   * call waits for it (within its own deadline). Never rejects: failures, timeouts, skips
   * and aborts come back as outcomes. `call` gets a signal that aborts at the deadline or when
   * the caller's signal does (a `call` declared without parameters gets one that never
   * aborts, which saves creating it).
   */
  run<T>(
    operation: string,
    call: (signal: AbortSignal) => Promise<T>,
    options?: StoreCallOptions,
  ): Promise<StoreCallOutcome<T>>;
  /**
   * Stops the probe timer; later calls are skipped. Calls in flight still end within their
   * deadline.
   */
  close(): void;
}
