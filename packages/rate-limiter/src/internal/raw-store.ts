import type { ResolvedLimit } from '../limits.ts';
import type { StoreRequest } from '../store.ts';
import type { Mode } from './algorithms.ts';

/** Evaluates `mode` for `cost` units of `key` at `now`: flat outcome numbers. */
export type LocalEvaluator = (
  key: string,
  cost: number,
  now: number,
  mode: Mode,
) => ArrayLike<number>;

/** Marks the built-in stores' fast path, which the limiter uses instead of the public methods. */
export const rawStore: unique symbol = Symbol.for('rampart.rate-limiter.raw-store');

/**
 * The fast path of a built-in store: flat outcome numbers (see `evaluate` in
 * algorithms.ts) instead of objects. A synchronous result is only valid until the next call.
 */
export interface RawStore {
  /**
   * Binds a synchronous evaluator to one prefix and limits array (the memory store): the
   * returned function's result is only valid until its next call.
   */
  readonly bind?: (prefix: string, limits: readonly ResolvedLimit[]) => LocalEvaluator;
  /**
   * Evaluates asynchronously (the Redis store). With `blockDurationMs` above 0, a consume the
   * limits reject bans the caller that long, in the store, in the same round trip.
   * `deadline`, when given, returns a signal that aborts when the limiter stops waiting for
   * this call (its deadline passed or its caller aborted), e.g. while the store waits for
   * its connection.
   */
  readonly evaluate?: (
    request: StoreRequest,
    mode: Mode,
    blockDurationMs?: number,
    deadline?: () => AbortSignal,
  ) => Promise<ArrayLike<number>>;
}

/** The raw fast path of a store, when it is a built-in one. */
export function rawOf(store: object): RawStore | undefined {
  return (store as { [rawStore]?: RawStore })[rawStore];
}
