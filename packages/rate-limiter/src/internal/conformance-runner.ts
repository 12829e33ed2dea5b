import { AssertionError, deepStrictEqual } from 'node:assert';
import type { RateLimitAlgorithm, ResolvedLimit } from '../limits.ts';
import { memoryStore } from '../memory-store.ts';
import type { RateLimitStore, StoreOutcome, StoreRequest } from '../store.ts';

/** A seedable source of random numbers. */
export interface Random {
  /** A number in [0, 1). */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequences. */
export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  };
  return { next, int: (min, max) => min + Math.floor(next() * (max - min + 1)) };
}

const WINDOWS = [1, 7, 250, 1_000, 1_500, 60_000] as const;

/** A random limit of `algorithm`, windows from 1 ms to a minute, burst where it applies. */
export function randomLimit(
  random: Random,
  name: string,
  algorithm: RateLimitAlgorithm,
): ResolvedLimit {
  const limit = random.int(1, 12);
  const windowMs = WINDOWS[random.int(0, WINDOWS.length - 1)] ?? 1_000;
  const bucket = algorithm === 'gcra' || algorithm === 'token-bucket';
  const capacity = bucket && random.next() < 0.5 ? random.int(1, 15) : limit;
  return { name, algorithm, limit, windowMs, capacity };
}

/** The fields a conforming store must return, in a fixed shape (extra fields are ignored). */
function project(outcome: StoreOutcome): StoreOutcome {
  return {
    allowed: outcome.allowed,
    limits: outcome.limits.map(({ allowed, remaining, resetMs, retryAfterMs, refillMs }) => ({
      allowed,
      remaining,
      resetMs,
      retryAfterMs,
      refillMs,
    })),
  };
}

type Operation = 'consume' | 'peek' | 'reward' | 'reset';

/** One step of a sequence, for failure messages. */
interface Step {
  readonly operation: Operation;
  readonly nowMs: number;
  readonly cost: number;
}

/**
 * Runs the same operation on the store under test and on the reference memory store and
 * fails with the whole sequence so far when they disagree.
 */
export interface Comparison {
  step(
    operation: Operation,
    key: string,
    cost: number,
    nowMs: number,
  ): Promise<StoreOutcome | undefined>;
  close(): Promise<void>;
}

export function createComparison(
  store: RateLimitStore,
  prefix: string,
  limits: readonly ResolvedLimit[],
  label: string,
): Comparison {
  const reference = memoryStore();
  const history: Step[] = [];
  const describe = (): string =>
    `${label}\nlimits: ${JSON.stringify(limits)}\nsteps:\n${history
      .map((step) => `  ${step.operation} cost ${step.cost} at ${step.nowMs}`)
      .join('\n')}`;
  return {
    async step(operation, key, cost, nowMs) {
      history.push({ operation, nowMs, cost });
      if (operation === 'reset') {
        await Promise.all([
          store.reset({ prefix, key, limits, nowMs }),
          reference.reset({ prefix, key, limits, nowMs }),
        ]);
        return undefined;
      }
      const request: StoreRequest = { prefix, key, limits, cost, nowMs };
      const [actual, expected] = await Promise.all([
        store[operation](request),
        reference[operation](request),
      ]);
      try {
        deepStrictEqual(project(actual), project(expected));
      } catch (error) {
        if (!(error instanceof AssertionError)) throw error;
        throw new AssertionError({
          message: `the store disagrees with the reference memory store\n${describe()}\n${error.message}`,
          actual: error.actual,
          expected: error.expected,
          operator: 'deepStrictEqual',
        });
      }
      return actual;
    },
    close: () => reference.close(),
  };
}

/** Fails with `message` (an `AssertionError`) unless `condition` holds. */
export function check(condition: boolean, message: string): asserts condition {
  if (!condition)
    throw new AssertionError({ message, actual: false, expected: true, operator: '==' });
}
