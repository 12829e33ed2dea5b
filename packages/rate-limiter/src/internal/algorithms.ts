import type { ResolvedLimit } from '../limits.ts';
import {
  type CompiledLimit,
  FIXED_WINDOW,
  GCRA,
  SLIDING_WINDOW,
  TOKEN_BUCKET,
} from './algorithms/common.ts';
import {
  chargeWindow,
  checkFixedWindow,
  describeFixedWindow,
  giveBackFixedWindow,
} from './algorithms/fixed-window.ts';
import { chargeGcra, checkGcra, describeGcra, giveBackGcra } from './algorithms/gcra.ts';
import {
  checkSlidingWindow,
  describeSlidingWindow,
  giveBackSlidingWindow,
} from './algorithms/sliding-window.ts';
import {
  chargeTokenBucket,
  checkTokenBucket,
  describeTokenBucket,
  giveBackTokenBucket,
} from './algorithms/token-bucket.ts';

export type { CompiledLimit } from './algorithms/common.ts';
export { FIXED_WINDOW, GCRA, SLIDING_WINDOW, TOKEN_BUCKET } from './algorithms/common.ts';

/**
 * The four algorithms in exact integer arithmetic (one file each in algorithms/), shared by
 * the memory store and mirrored by the Redis script (lua-script.ts): both must give the same
 * decisions for the same calls and clock, which the conformance suite checks.
 *
 * State: three numbers per limit, `-Infinity` meaning "never seen". Every value stays an
 * integer below 2^53 (the options cap `limit × windowMs`), so JavaScript and Lua (doubles
 * both) compute bit-identical results. Each algorithm has four steps: `check` brings the
 * state to `now` in place (rolls windows, refills buckets) and tells whether `cost` fits;
 * `charge` and `giveBack` change it; `describe` writes remaining, resetMs, retryAfterMs (for
 * `asked`, unless `admitted`) and refillMs, returning the state's time-to-live (its resetMs).
 * A state of several limits is one array, limit after limit, from a `base` offset.
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

/** What {@link evaluate} returns when the state did not change (and need not be stored). */
export const UNCHANGED = -1;

const ALGORITHM_CODES: Readonly<Record<ResolvedLimit['algorithm'], number>> = {
  gcra: GCRA,
  'fixed-window': FIXED_WINDOW,
  'sliding-window': SLIDING_WINDOW,
  'token-bucket': TOKEN_BUCKET,
};

export function compileLimit(limit: ResolvedLimit): CompiledLimit {
  return { ...limit, code: ALGORITHM_CODES[limit.algorithm] };
}

/** Writes the "never seen" state of every limit into `state`, from `base` on. */
export function initialState(
  limits: readonly CompiledLimit[],
  state: number[],
  base: number,
): void {
  for (let index = 0; index < limits.length; index++) {
    const limit = limits[index] as CompiledLimit;
    const offset = base + index * STATE_SLOTS;
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

function charge(limit: CompiledLimit, s: number[], o: number, cost: number): void {
  switch (limit.code) {
    case GCRA:
      chargeGcra(limit, s, o, cost);
      break;
    case TOKEN_BUCKET:
      chargeTokenBucket(limit, s, o, cost);
      break;
    default:
      // A fixed and a sliding window count alike: in the current window.
      chargeWindow(s, o, cost);
  }
}

function giveBack(limit: CompiledLimit, s: number[], o: number, now: number, cost: number): void {
  switch (limit.code) {
    case GCRA:
      giveBackGcra(limit, s, o, now, cost);
      break;
    case TOKEN_BUCKET:
      giveBackTokenBucket(limit, s, o, cost);
      break;
    case FIXED_WINDOW:
      giveBackFixedWindow(s, o, cost);
      break;
    default:
      giveBackSlidingWindow(s, o, cost);
  }
}

function describe(
  limit: CompiledLimit,
  s: number[],
  o: number,
  now: number,
  asked: number,
  admitted: boolean,
  out: number[],
  at: number,
): number {
  switch (limit.code) {
    case GCRA:
      return describeGcra(limit, s, o, now, asked, admitted, out, at);
    case TOKEN_BUCKET:
      return describeTokenBucket(limit, s, o, asked, admitted, out, at);
    case FIXED_WINDOW:
      return describeFixedWindow(limit, s, o, now, asked, admitted, out, at);
    default:
      return describeSlidingWindow(limit, s, o, now, asked, admitted, out, at);
  }
}

/**
 * Evaluates one operation for every limit of a key, all or nothing: a consume is charged to
 * every limit only when every limit admits it. `state` (from `base` on) is updated in place.
 * Writes `1 + 5 × limits` numbers to `out`: whether all limits admit, then per limit: admits
 * (0/1), remaining, resetMs, retryAfterMs, refillMs. After a reward, "admits" is about one unit.
 *
 * @returns {@link UNCHANGED} when `state` did not change, else how long it must be kept: the
 *   longest time-to-live of its limits (0: it equals a never-seen state).
 */
export function evaluate(
  limits: readonly CompiledLimit[],
  state: number[],
  base: number,
  now: number,
  cost: number,
  mode: Mode,
  out: number[],
): number {
  const count = limits.length;
  let all = true;
  for (let index = 0; index < count; index++) {
    const limit = limits[index] as CompiledLimit;
    const fits = check(limit, state, base + index * STATE_SLOTS, now, cost);
    out[1 + index * OUTCOME_SLOTS] = fits ? 1 : 0;
    if (!fits) all = false;
  }
  let changed = true;
  if (mode === MODE_CONSUME && all) {
    for (let index = 0; index < count; index++) {
      charge(limits[index] as CompiledLimit, state, base + index * STATE_SLOTS, cost);
    }
  } else if (mode === MODE_REWARD) {
    for (let index = 0; index < count; index++) {
      giveBack(limits[index] as CompiledLimit, state, base + index * STATE_SLOTS, now, cost);
    }
  } else {
    changed = false;
  }
  const longest = report(limits, state, base, now, cost, mode, all, out);
  return changed ? longest : UNCHANGED;
}

/**
 * The second half of {@link evaluate}, once the state is checked and changed (by the Redis
 * script, for the Redis store): writes the outcome numbers, given whether every limit
 * admitted `cost` when checked (`all`) and each limit's own answer already in `out`.
 *
 * @returns the longest time-to-live of the limits' states.
 */
export function report(
  limits: readonly CompiledLimit[],
  state: number[],
  base: number,
  now: number,
  cost: number,
  mode: Mode,
  all: boolean,
  out: number[],
): number {
  const admitted = mode === MODE_CONSUME && all;
  const reward = mode === MODE_REWARD;
  // After a reward the question is whether one unit fits now.
  const asked = reward ? 1 : cost;
  let every = reward || all;
  let longest = 0;
  for (let index = 0; index < limits.length; index++) {
    const at = 1 + index * OUTCOME_SLOTS;
    const limit = limits[index] as CompiledLimit;
    const offset = base + index * STATE_SLOTS;
    const ttl = describe(limit, state, offset, now, asked, admitted, out, at);
    if (ttl > longest) longest = ttl;
    if (reward) {
      const fits = out[at + 3] === 0;
      out[at] = fits ? 1 : 0;
      if (!fits) every = false;
    }
  }
  out[0] = every ? 1 : 0;
  return longest;
}
