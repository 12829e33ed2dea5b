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
   * longest window.
   * @default 100000 — about 15 MB with two limits, enough for a busy single process.
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

interface Entry {
  /** When every limit of the key is back to its never-seen state. */
  expiresAt: number;
  /** The configuration the state belongs to. */
  signature: string;
  state: number[];
  /** Changes when the entry is renewed, so its older place in the age queue goes stale. */
  ticket: number;
}

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
 * @throws {ConfigurationError} when the options are invalid.
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
  let ttl: number[] = zeros(2);
  let scratch: number[] = zeros(STATE_SLOTS * 2);

  let tickets = 0;
  const ages = createAgeQueue<Aged>(
    ({ space, key, entry, ticket }) => entry.ticket === ticket && space.get(key) === entry,
    () => size,
  );

  const remove = (space: Map<string, Entry>, key: string): void => {
    if (space.delete(key)) size -= 1;
  };

  /** Drops the key renewed longest ago (usually one whose state has expired). */
  const makeRoom = (): void => {
    const oldest = ages.shiftLive();
    if (oldest !== undefined) remove(oldest.space, oldest.key);
  };

  const spaceOf = (prefix: string): Map<string, Entry> => {
    let space = spaces.get(prefix);
    if (space === undefined) {
      space = new Map();
      spaces.set(prefix, space);
    }
    return space;
  };

  const run = (
    space: Map<string, Entry>,
    layout: Layout,
    key: string,
    cost: number,
    now: number,
    mode: Mode,
  ): number[] => {
    const { limits, signature } = layout;
    const count = limits.length;
    if (ttl.length < count) {
      out = zeros(1 + OUTCOME_SLOTS * count);
      ttl = zeros(count);
      scratch = zeros(STATE_SLOTS * count);
    }
    const entry = space.get(key);
    let state = scratch;
    if (entry === undefined) {
      initialState(limits, scratch);
    } else {
      state = entry.state;
      if (entry.expiresAt <= now || entry.signature !== signature) {
        // Back to a never-seen state, reusing the entry: no allocation for a returning key.
        if (state.length !== count * STATE_SLOTS) {
          state = entry.state = zeros(count * STATE_SLOTS);
        }
        entry.signature = signature;
        if (size * 2 >= maxKeys) {
          // Renewed: it becomes the newest. (Only worth recording once eviction is near.)
          entry.ticket = ++tickets;
          ages.push({ space, key, entry, ticket: entry.ticket });
        }
        initialState(limits, state);
      }
    }
    if (!evaluate(limits, state, now, cost, mode, out, ttl)) return out;
    let longest = 0;
    for (let index = 0; index < count; index++) {
      const value = ttl[index] as number;
      if (value > longest) longest = value;
    }
    if (entry !== undefined) {
      entry.expiresAt = now + longest;
    } else if (longest > 0) {
      if (size >= maxKeys) makeRoom();
      const created: Entry = {
        expiresAt: now + longest,
        signature,
        state: scratch.slice(0, count * STATE_SLOTS),
        ticket: ++tickets,
      };
      space.set(key, created);
      size += 1;
      ages.push({ space, key, entry: created, ticket: created.ticket });
    }
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
      if (space !== undefined) remove(space, request.key);
      return Promise.resolve();
    },
    close: () => {
      for (const space of spaces.values()) space.clear();
      size = 0;
      return Promise.resolve();
    },
    [rawStore]: raw,
  } as RateLimitStore;
}
