import type { ResolvedLimit } from '../limits.ts';
import {
  CHARGE,
  type CompiledLimit,
  FIXED_WINDOW,
  GCRA,
  GIVE_BACK,
  KEEP,
  SLIDING_WINDOW,
  TOKEN_BUCKET,
} from './algorithms/common.ts';
import { applyFixedWindow, checkFixedWindow } from './algorithms/fixed-window.ts';
import { applyGcra, checkGcra } from './algorithms/gcra.ts';
import { applySlidingWindow, checkSlidingWindow } from './algorithms/sliding-window.ts';
import { applyTokenBucket, checkTokenBucket } from './algorithms/token-bucket.ts';

export type { CompiledLimit } from './algorithms/common.ts';
export { FIXED_WINDOW, GCRA, KEEP, SLIDING_WINDOW, TOKEN_BUCKET } from './algorithms/common.ts';

/**
 * The four algorithms in exact integer arithmetic (one file each in algorithms/), shared by
 * the memory store and mirrored by the Redis script (lua-script.ts): both must give the same
 * decisions for the same calls and clock, which the conformance suite checks.
 *
 * State: three numbers per limit, `-Infinity` meaning "never seen". Every value stays an
 * integer below 2^53 (the options cap `limit × windowMs`), so JavaScript and Lua (doubles
 * both) compute bit-identical results. Each algorithm has two steps: `check` brings the state
 * to `now` in place (rolls windows, refills buckets) and tells whether `cost` fits; `apply`
 * charges or gives back (or keeps) and writes remaining, resetMs, retryAfterMs (for `asked`,
 * unless `admitted`) and refillMs, returning the state's time-to-live (its resetMs).
 */

/** What an evaluation does. */
export const MODE_CONSUME = 0;
export const MODE_PEEK = 1;
export const MODE_REWARD = 2;
export type Mode = typeof MODE_CONSUME | typeof MODE_PEEK | typeof MODE_REWARD;

/** Numbers per limit in a state array. */
export const STATE_SLOTS = 3;
/** Numbers per limit in an outcome array, after the leading "all allowed" flag. */
export const OUTCOME_SLOTS = 5;

const ALGORITHM_CODES: Readonly<Record<ResolvedLimit['algorithm'], number>> = {
  gcra: GCRA,
  'fixed-window': FIXED_WINDOW,
  'sliding-window': SLIDING_WINDOW,
  'token-bucket': TOKEN_BUCKET,
};

export function compileLimit(limit: ResolvedLimit): CompiledLimit {
  return { ...limit, code: ALGORITHM_CODES[limit.algorithm] };
}

/** Writes the "never seen" state of every limit into `state`. */
export function initialState(limits: readonly CompiledLimit[], state: number[]): void {
  for (let index = 0; index < limits.length; index++) {
    const limit = limits[index] as CompiledLimit;
    const offset = index * STATE_SLOTS;
    if (limit.code === TOKEN_BUCKET) {
      state[offset] = limit.capacity * limit.windowMs;
      state[offset + 1] = Number.NEGATIVE_INFINITY;
    } else {
      state[offset] = Number.NEGATIVE_INFINITY;
      state[offset + 1] = 0;
    }
    state[offset + 2] = 0;
  }
}

function check(limit: CompiledLimit, s: number[], o: number, now: number, cost: number): boolean {
  switch (limit.code) {
    case GCRA:
      return checkGcra(limit, s, o, now, cost);
    case TOKEN_BUCKET:
      return checkTokenBucket(limit, s, o, now, cost);
    case FIXED_WINDOW:
      return checkFixedWindow(limit, s, o, now, cost);
    default:
      return checkSlidingWindow(limit, s, o, now, cost);
  }
}

function apply(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  cost: number,
  change: number,
  asked: number,
  admitted: boolean,
  out: number[],
  at: number,
): number {
  switch (limit.code) {
    case GCRA:
      return applyGcra(limit, s, o, now, cost, change, asked, admitted, out, at);
    case TOKEN_BUCKET:
      return applyTokenBucket(limit, s, o, cost, change, asked, admitted, out, at);
    case FIXED_WINDOW:
      return applyFixedWindow(limit, s, o, now, cost, change, asked, admitted, out, at);
    default:
      return applySlidingWindow(limit, s, o, now, cost, change, asked, admitted, out, at);
  }
}

/**
 * Evaluates one operation for every limit of a key, all or nothing: a consume is charged to
 * every limit only when every limit admits it. `state` is updated in place. Writes
 * `1 + 5 × limits` numbers to `out`: whether all limits admit, then per limit: admits (0/1),
 * remaining, resetMs, retryAfterMs, refillMs. After a reward, "admits" is about one unit.
 * Writes each limit's time-to-live to `ttl` (0: its state equals a never-seen one).
 *
 * @returns whether `state` changed (and must be stored).
 */
export function evaluate(
  limits: readonly CompiledLimit[],
  state: number[],
  now: number,
  cost: number,
  mode: Mode,
  out: number[],
  ttl: number[],
): boolean {
  let all = true;
  for (let index = 0; index < limits.length; index++) {
    const fits = check(limits[index] as CompiledLimit, state, index * STATE_SLOTS, now, cost);
    out[1 + index * OUTCOME_SLOTS] = fits ? 1 : 0;
    if (!fits) all = false;
  }
  const change = mode === MODE_REWARD ? GIVE_BACK : mode === MODE_CONSUME && all ? CHARGE : KEEP;
  report(limits, state, now, cost, mode, change, all, out, ttl);
  return change !== KEEP;
}

/**
 * The second half of {@link evaluate}: applies `change` (`KEEP` when the Redis script has
 * already applied it) and writes the outcome numbers, given whether every limit admitted
 * `cost` when checked (`all`) and each limit's own answer already in `out`.
 */
export function report(
  limits: readonly CompiledLimit[],
  state: number[],
  now: number,
  cost: number,
  mode: Mode,
  change: number,
  all: boolean,
  out: number[],
  ttl: number[],
): void {
  const admitted = mode === MODE_CONSUME && all;
  // After a reward the question is whether one unit fits now.
  const asked = mode === MODE_REWARD ? 1 : cost;
  let every = mode === MODE_REWARD ? true : all;
  for (let index = 0; index < limits.length; index++) {
    const at = 1 + index * OUTCOME_SLOTS;
    const limit = limits[index] as CompiledLimit;
    const offset = index * STATE_SLOTS;
    ttl[index] = apply(limit, state, offset, now, cost, change, asked, admitted, out, at);
    if (mode === MODE_REWARD) {
      const fits = out[at + 3] === 0;
      out[at] = fits ? 1 : 0;
      if (!fits) every = false;
    }
  }
  out[0] = every ? 1 : 0;
}
