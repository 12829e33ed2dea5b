import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import { createAgeQueue } from './internal/age-queue.ts';
import {
  evaluate,
  initialState,
  MODE_CONSUME,
  MODE_PEEK,
  MODE_REWARD,
  type Mode,
  OUTCOME_SLOTS,
  STATE_SLOTS,
  UNCHANGED,
} from './internal/algorithms.ts';
import { type Layout, layoutOf, toStoreOutcome } from './internal/layout.ts';
import { type RawStore, rawStore } from './internal/raw-store.ts';
import { zeros } from './internal/zeros.ts';
import type { RateLimitStore, StoreOutcome, StoreRequest } from './store.ts';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /**
   * The most keys kept. When full, a new key replaces the oldest key (the one created or,
   * once the store is half full, renewed longest ago: usually one whose state has expired; a
   * live key forgets its usage): size it above the number of keys active within your
   * longest window. Memory stays bounded by it whatever the number of distinct keys.
   * @default `100000` — about 25 MB with two limits and short keys, enough for a busy single
   *   process.
   */
  readonly maxKeys?: number | undefined;
}

const mustBePositiveInteger = { error: 'must be a positive integer' };
const optionsSchema = z.strictObject({
  maxKeys: z
    .int(mustBePositiveInteger)
    .positive(mustBePositiveInteger)
    .max(100_000_000, { error: 'must be at most 100000000' })
    .default(100_000),
});

/**
 * One key's entry: when it expires, the layout its state belongs to and its age ticket, then
 * the state of every limit. One array of unboxed doubles per key: no object, no second array.
 */
type Entry = number[];
/** When every limit of the key is back to its never-seen state. */
const EXPIRES_AT = 0;
/** The `Layout.id` of the configuration the state belongs to. */
const LAYOUT = 1;
/**
 * Changes when the entry is renewed, so its older place in the age queue goes stale; set to
 * {@link RETIRED} when the entry leaves the map.
 */
const TICKET = 2;
const RETIRED = -1;
/** Where the limits' state starts. */
const STATE = 3;

/** An entry's place in the age queue. */
interface Aged {
  readonly space: Map<string, Entry>;
  readonly key: string;
  readonly entry: Entry;
  readonly ticket: number;
}

/**
 * An in-process store: exact, bounded by `maxKeys`, with no timer per key. Expired keys are
 * dropped lazily, when touched or when room is needed (the oldest first, in constant time). The default store of
 * {@link createRateLimiter} and the reference the conformance suite compares other stores to.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
 * @example
 * ```ts
 * import { createRateLimiter, memoryStore } from '@rampart/rate-limiter';
 *
 * const limiter = createRateLimiter({
 *   limits: [{ name: 'second', limit: 10, windowMs: 1_000 }],
 *   store: memoryStore({ maxKeys: 50_000 }),
 * });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions = {}): RateLimitStore {
  const { maxKeys } = parseOptions(optionsSchema, options, 'memoryStore');
  /** Entries by prefix, then key: no string concatenation (and flattening) per call. */
  const spaces = new Map<string, Map<string, Entry>>();
  let size = 0;
  let out: number[] = zeros(1 + OUTCOME_SLOTS * 2);
  /** A new key's entry, until it turns out to need storing. */
  let scratch: Entry = zeros(STATE + STATE_SLOTS * 2);

  let tickets = 0;
  // An entry's ticket tells whether a queued item is still its latest: one that left the map
  // is retired, so telling needs no map lookup (a cache miss in a large map).
  const ages = createAgeQueue<Aged>(
    ({ entry, ticket }) => entry[TICKET] === ticket,
    () => size,
  );

  const retire = (space: Map<string, Entry>, key: string, entry: Entry): void => {
    entry[TICKET] = RETIRED;
    space.delete(key);
    size -= 1;
  };

  /** Drops the key renewed longest ago (usually one whose state has expired). */
  const makeRoom = (): void => {
    const oldest = ages.shiftLive();
    if (oldest !== undefined) retire(oldest.space, oldest.key, oldest.entry);
  };

  /** Records that `entry` is the newest of all, with a new ticket. */
  const age = (space: Map<string, Entry>, key: string, entry: Entry): void => {
    const ticket = ++tickets;
    entry[TICKET] = ticket;
    ages.push({ space, key, entry, ticket });
  };

  const spaceOf = (prefix: string): Map<string, Entry> => {
    let space = spaces.get(prefix);
    if (space === undefined) {
      space = new Map();
      spaces.set(prefix, space);
    }
    return space;
  };

  /**
   * Brings an entry whose state expired, or belongs to other limits, back to a never-seen
   * state: in place (no allocation for a returning key) unless its size must change.
   */
  const renew = (space: Map<string, Entry>, key: string, entry: Entry, layout: Layout): Entry => {
    const { limits } = layout;
    let renewed = entry;
    if (entry.length !== STATE + limits.length * STATE_SLOTS) {
      entry[TICKET] = RETIRED;
      renewed = zeros(STATE + limits.length * STATE_SLOTS);
      space.set(key, renewed);
      age(space, key, renewed);
    } else if (size * 2 >= maxKeys) {
      // Renewed: it becomes the newest. (Only worth recording once eviction is near.)
      age(space, key, renewed);
    }
    renewed[LAYOUT] = layout.id;
    initialState(limits, renewed, STATE);
    return renewed;
  };

  /** A key with no entry: evaluated on scratch, stored only when it must be remembered. */
  const runNew = (
    space: Map<string, Entry>,
    layout: Layout,
    key: string,
    cost: number,
    now: number,
    mode: Mode,
  ): number[] => {
    const { limits } = layout;
    initialState(limits, scratch, STATE);
    const ttl = evaluate(limits, scratch, STATE, now, cost, mode, out);
    if (ttl > 0) {
      if (size >= maxKeys) makeRoom();
      const created = scratch.slice(0, STATE + limits.length * STATE_SLOTS);
      created[EXPIRES_AT] = now + ttl;
      created[LAYOUT] = layout.id;
      space.set(key, created);
      size += 1;
      age(space, key, created);
    }
    return out;
  };

  /** Evaluates `mode` for `key`; the result is only valid until the next call. */
  const run = (
    space: Map<string, Entry>,
    layout: Layout,
    key: string,
    cost: number,
    now: number,
    mode: Mode,
  ): number[] => {
    const count = layout.limits.length;
    if (scratch.length < STATE + count * STATE_SLOTS) {
      out = zeros(1 + OUTCOME_SLOTS * count);
      scratch = zeros(STATE + STATE_SLOTS * count);
    }
    let entry = space.get(key);
    if (entry === undefined) return runNew(space, layout, key, cost, now, mode);
    if ((entry[EXPIRES_AT] as number) <= now || entry[LAYOUT] !== layout.id) {
      entry = renew(space, key, entry, layout);
    }
    const ttl = evaluate(layout.limits, entry, STATE, now, cost, mode, out);
    if (ttl !== UNCHANGED) entry[EXPIRES_AT] = now + ttl;
    return out;
  };

  const outcome = (request: StoreRequest, mode: Mode): Promise<StoreOutcome> => {
    try {
      const flat = run(
        spaceOf(request.prefix),
        layoutOf(request.limits),
        request.key,
        request.cost,
        request.nowMs ?? Date.now(),
        mode,
      );
      return Promise.resolve(toStoreOutcome(flat, request.limits.length));
    } catch (error) {
      return Promise.reject(error);
    }
  };

  const raw: RawStore = {
    bind(prefix, limits) {
      const space = spaceOf(prefix);
      const layout = layoutOf(limits);
      return (key, cost, now, mode) => run(space, layout, key, cost, now, mode);
    },
  };
  return {
    timeSource: 'caller',
    consume: (request) => outcome(request, MODE_CONSUME),
    peek: (request) => outcome(request, MODE_PEEK),
    reward: (request) => outcome(request, MODE_REWARD),
    reset: (request) => {
      const space = spaces.get(request.prefix);
      const entry = space?.get(request.key);
      if (space !== undefined && entry !== undefined) retire(space, request.key, entry);
      return Promise.resolve();
    },
    close: () => {
      for (const space of spaces.values()) space.clear();
      ages.clear();
      size = 0;
      return Promise.resolve();
    },
    [rawStore]: raw,
  } as RateLimitStore;
}
