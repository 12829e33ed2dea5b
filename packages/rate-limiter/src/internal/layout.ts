import type { ResolvedLimit } from '../limits.ts';
import type { LimitOutcome, StoreOutcome } from '../store.ts';
import { type CompiledLimit, compileLimit, OUTCOME_SLOTS } from './algorithms.ts';

/** The compiled form of one limits array: what the evaluator and the Redis script need. */
export interface Layout {
  readonly limits: readonly CompiledLimit[];
  /**
   * Identifies the configuration (the same for equal limits arrays): stored state of another
   * configuration is not reused.
   */
  readonly id: number;
}

const layouts = new WeakMap<readonly ResolvedLimit[], Layout>();
/** Layout ids by configuration: a few strings per process, one per distinct limits setting. */
const ids = new Map<string, number>();

/** The layout of a limits array, compiled once per array. */
export function layoutOf(limits: readonly ResolvedLimit[]): Layout {
  let layout = layouts.get(limits);
  if (layout === undefined) {
    const compiled = limits.map(compileLimit);
    const signature = compiled
      .map(
        (limit) => `${limit.name}:${limit.code}:${limit.limit}:${limit.windowMs}:${limit.capacity}`,
      )
      .join('|');
    let id = ids.get(signature);
    if (id === undefined) {
      id = ids.size + 1;
      ids.set(signature, id);
    }
    layout = { limits: compiled, id };
    layouts.set(limits, layout);
  }
  return layout;
}

/** Turns the flat numbers of an evaluation into a {@link StoreOutcome}. */
export function toStoreOutcome(flat: ArrayLike<number>, count: number): StoreOutcome {
  const limits: LimitOutcome[] = [];
  for (let index = 0; index < count; index++) {
    const at = 1 + index * OUTCOME_SLOTS;
    limits.push({
      allowed: flat[at] === 1,
      remaining: flat[at + 1] as number,
      resetMs: flat[at + 2] as number,
      retryAfterMs: flat[at + 3] as number,
      refillMs: flat[at + 4] as number,
    });
  }
  return { allowed: flat[0] === 1, limits };
}

/** Turns a {@link StoreOutcome} of a third-party store into flat numbers. */
export function toFlat(outcome: StoreOutcome, count: number): number[] {
  const flat: number[] = [outcome.allowed ? 1 : 0];
  for (let index = 0; index < count; index++) {
    const limit = outcome.limits[index];
    if (limit === undefined) {
      throw new TypeError(`the store answered ${outcome.limits.length} limits, expected ${count}`);
    }
    flat.push(
      limit.allowed ? 1 : 0,
      limit.remaining,
      limit.resetMs,
      limit.retryAfterMs,
      limit.refillMs,
    );
  }
  return flat;
}
