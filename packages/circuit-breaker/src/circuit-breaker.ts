import type { CircuitState } from './circuit-state.ts';
import { CircuitEngine } from './internal/engine.ts';
import { parseBreakerOptions } from './internal/parse-options.ts';
import { requireFunction } from './internal/require-function.ts';
import { resolvePolicy } from './internal/settings.ts';
import type { CircuitBreakerOptions, CircuitFunction, ExecuteOptions } from './options.ts';
import type { CircuitBreakerSnapshot } from './snapshot.ts';
import type { CircuitBreakerStats } from './stats.ts';

/** Holds a circuit open until released; returned by {@link CircuitControl.isolate}. */
export interface CircuitIsolation {
  /** Ends this isolation; the circuit goes half-open once no isolation is left. Idempotent. */
  release(): void;
  /** Same as {@link CircuitIsolation.release}, for `using` declarations. */
  [Symbol.dispose](): void;
}

/**
 * What every breaker offers besides calling it: its state, statistics, manual control,
 * export and disposal. {@link CircuitBreakerRegistry.list} returns these.
 */
export interface CircuitControl {
  /** The breaker's name. */
  readonly name: string;
  /** The current state (an open circuit whose reset timeout has passed reads `half-open`). */
  readonly state: CircuitState;
  /** Counts, failure rate and latency percentiles over the rolling window. */
  stats(): CircuitBreakerStats;
  /**
   * Holds the circuit open, rejecting every call with a `CircuitOpenError`, until every
   * isolation is released (then it goes half-open, so a trial call checks the dependency)
   * or {@link CircuitControl.reset} is called. Use it to take a dependency out of rotation
   * by hand, e.g. during its maintenance.
   */
  isolate(): CircuitIsolation;
  /** Closes the circuit now: forgets the window, the backoff and every isolation. */
  reset(): void;
  /** The state to recreate this breaker elsewhere with `initialState`; JSON-safe. */
  toJSON(): CircuitBreakerSnapshot;
  /**
   * Releases the breaker: later calls reject with an `UnavailableError`, calls in flight
   * have their signals aborted (those with a timeout or a caller signal reject at once),
   * and nothing of the breaker stays scheduled. Named `dispose`, not `close`, because
   * closing a circuit means letting calls through. Idempotent.
   */
  dispose(): Promise<void>;
  /** Same as {@link CircuitControl.dispose}, for `await using` declarations. */
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A circuit breaker guarding one function; created by {@link createCircuitBreaker}. Its
 * methods read `this`: call them on the breaker (`ids.map((id) => breaker.execute(id))`),
 * not detached (`ids.map(breaker.execute)`).
 */
export interface CircuitBreaker<Args extends unknown[] = unknown[], Result = unknown>
  extends CircuitControl {
  /**
   * Calls the guarded function with `args` and its own `AbortSignal`, unless the circuit
   * rejects the call. Resolves with the function's result (or the fallback's).
   *
   * @throws {@link @rampart/errors!CircuitOpenError | CircuitOpenError} (rejects) when the circuit is open, isolated, or half-open with
   *   all trial slots taken; `retryAfterMs` says when a trial call may be admitted, when known
   *   (not for an isolated circuit, nor for a busy half-open one without `timeoutMs`).
   * @throws {@link CircuitCapacityError} (rejects) when `capacity` calls are in flight.
   * @throws {@link @rampart/errors!TimeoutError | TimeoutError} (rejects) when the call runs longer than `timeoutMs`.
   * @throws {@link @rampart/errors!UnavailableError | UnavailableError} (rejects) when the breaker was disposed.
   */
  execute(...args: Args): Promise<Result>;
  /**
   * {@link CircuitBreaker.execute} with per-call options, e.g. the caller's `signal`: when it
   * aborts, the call rejects at once with its reason and is not counted as a failure.
   *
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (rejects) when `options` is malformed.
   */
  executeWith(options: ExecuteOptions, ...args: Args): Promise<Result>;
}

/**
 * Creates a circuit breaker around `fn`: calls flow while the dependency is healthy; when
 * the failure rate over the rolling window reaches the threshold (after a minimum volume),
 * the circuit opens and rejects calls at once, then admits a few trial calls after a reset
 * timeout that grows while the dependency keeps failing.
 *
 * @param fn - the function to guard; its last parameter receives the call's `AbortSignal`.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `fn` is not a function or an option is invalid.
 * @example
 * ```ts
 * import { createCircuitBreaker } from '@rampart/circuit-breaker';
 *
 * const getUser = createCircuitBreaker(
 *   async (id: string, signal: AbortSignal) => {
 *     const response = await fetch(`https://users.internal/users/${id}`, { signal });
 *     if (!response.ok) throw new Error(`users answered ${response.status}`);
 *     return (await response.json()) as { id: string; name: string };
 *   },
 *   { name: 'users', timeoutMs: 2_000, capacity: 50 },
 * );
 *
 * const user = await getUser.execute('42'); // rejects with E_CIRCUIT_OPEN while users is down
 * ```
 */
export function createCircuitBreaker<Args extends unknown[], Result>(
  fn: CircuitFunction<Args, Result>,
  options: CircuitBreakerOptions<Args, Result>,
): CircuitBreaker<Args, Result> {
  requireFunction(fn, 'createCircuitBreaker');
  const { name, policy, initialState } = parseBreakerOptions(options);
  return new CircuitEngine<Args, Result>(
    name,
    fn,
    resolvePolicy(policy),
    options.fallback,
    initialState,
  );
}
