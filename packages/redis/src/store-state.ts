import type { RampartError } from '@rampart/errors';

/**
 * Where a guarded store stands: `healthy` (calls reach it), `cooling-down` (calls skip it
 * after repeated failures) or `probing` (one probe decides whether it is back).
 */
export type StoreState = 'healthy' | 'cooling-down' | 'probing';

/** A snapshot of a guarded store's health, current without waiting for a user call. */
export interface StoreHealth {
  /** Where the store stands. */
  readonly state: StoreState;
  /** Failures in a row (calls and probes); 0 after a success. */
  readonly consecutiveFailures: number;
  /** The clock time, in milliseconds, of the last change of `state` (creation at first). */
  readonly changedAt: number;
  /** Until the next probe, in milliseconds: 0 unless `state` is `cooling-down`. */
  readonly retryAfterMs: number;
}

/**
 * The payload every guarded store publishes on its package's `store-state` channel
 * (`rampart:cache:store-state`, `rampart:rate-limiter:store-state`) when its state changes,
 * so metrics, logs and readiness checks read a cache's L2 and a rate limiter's store alike.
 *
 * @group Events
 */
export interface StoreStateEvent {
  /** The guarded component's name (the cache's or the limiter's `name`). */
  readonly name: string;
  /** The package that guards the store, e.g. `cache` or `rate-limiter`. */
  readonly component: string;
  /** The state before the change. */
  readonly from: StoreState;
  /** The state after the change (also `health.state`). */
  readonly to: StoreState;
  /** The health after the change. */
  readonly health: StoreHealth;
  /** The failure behind a change to `cooling-down` (absent otherwise). */
  readonly error?: RampartError;
  /** Its Rampart code, e.g. `E_TIMEOUT` (absent with `error`). */
  readonly code?: string;
}

/** One failed guarded call or probe, as the guard reports it to `onFailure`. */
export interface StoreFailure {
  /** What was called, e.g. `get` or `ping`. */
  readonly operation: string;
  /** The key the call was about, when it was about one. */
  readonly key?: string;
  /** A `TimeoutError` past the deadline, else the store's failure as a Rampart error. */
  readonly error: RampartError;
  /** Whether the call missed its deadline. */
  readonly timedOut: boolean;
  /** How long the call ran, in milliseconds. */
  readonly durationMs: number;
  /** Whether the call was a probe (the store's ping, or the call that probed). */
  readonly probe: boolean;
  /** The health after the failure was counted. */
  readonly health: StoreHealth;
}

/** How a guarded call ended: its value, or why there is none. */
export type StoreCallOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      /**
       * `skipped`: the store is cooling down (or the probe failed) so it was not called;
       * `failed`: it rejected or missed the deadline; `aborted`: the caller's signal fired.
       */
      readonly reason: 'skipped' | 'failed' | 'aborted';
      /** A Rampart error when `failed`, the signal's reason when `aborted`, else absent. */
      readonly error?: unknown;
    };
