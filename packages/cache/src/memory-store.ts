import { ConfigurationError, parseOptions } from '@rampart/errors';
import * as z from 'zod';
import { approximateSize } from './internal/approximate-size.ts';
import { TinyLfuStore } from './internal/tiny-lfu-store.ts';

/** Options of {@link memoryStore}. */
export interface MemoryStoreOptions {
  /** The most entries L1 holds; a positive integer. */
  readonly maxEntries: number;
  /**
   * The most approximate bytes L1 holds (values, keys and per-entry overhead).
   * @default no byte bound — only `maxEntries` applies. Set it when values vary in size.
   */
  readonly maxBytes?: number;
  /**
   * Estimates the bytes of a value; the key and a fixed per-entry overhead are added.
   * @default a walk of the value that counts strings, numbers, arrays, objects, maps, sets
   *   and typed arrays approximately, in time proportional to the value's size.
   */
  readonly sizeOf?: (value: unknown) => number;
}

/**
 * An in-process L1 tier for {@link createCache}, made by {@link memoryStore}. One store
 * serves one cache.
 */
export interface MemoryStore {
  /** The entry bound. */
  readonly maxEntries: number;
  /** The byte bound, or `undefined` when only entries are bounded. */
  readonly maxBytes: number | undefined;
}

const positiveInteger = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

const schema = z.strictObject({
  maxEntries: positiveInteger,
  maxBytes: positiveInteger.optional(),
  sizeOf: z
    .custom<(value: unknown) => number>((value) => typeof value === 'function', {
      error: 'must be a function',
    })
    .optional(),
});

const engines = new WeakMap<MemoryStore, { engine: TinyLfuStore; claimed: boolean }>();

/**
 * Creates a bounded in-memory L1 store. It holds at most `maxEntries` entries and, when
 * set, `maxBytes` approximate bytes, evicting with W-TinyLFU: a small LRU window for new
 * entries and a frequency filter in front of a segmented LRU, so a burst of one-off keys
 * (a scan) does not flush the popular ones as it does in plain LRU. Memory grows with the
 * entries held; nothing is preallocated for the maximum.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is malformed.
 * @example
 * ```ts
 * import { createCache, memoryStore } from '@rampart/cache';
 *
 * const cache = createCache({
 *   ttlMs: 60_000,
 *   l1: memoryStore({ maxEntries: 50_000, maxBytes: 64 * 1024 * 1024 }),
 * });
 * ```
 */
export function memoryStore(options: MemoryStoreOptions): MemoryStore {
  const parsed = parseOptions(schema, options, 'memoryStore');
  const engine = new TinyLfuStore({
    maxEntries: parsed.maxEntries,
    maxBytes: parsed.maxBytes ?? Number.POSITIVE_INFINITY,
    sizeOf: parsed.sizeOf === undefined ? approximateSize : safeSizeOf(parsed.sizeOf),
  });
  const store: MemoryStore = Object.freeze({
    maxEntries: parsed.maxEntries,
    maxBytes: parsed.maxBytes,
  });
  engines.set(store, { engine, claimed: false });
  return store;
}

/** Whether `value` was made by {@link memoryStore}. */
export function isMemoryStore(value: unknown): value is MemoryStore {
  return typeof value === 'object' && value !== null && engines.has(value as MemoryStore);
}

/**
 * The engine behind `store`, claimed for one cache.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when another cache already uses the store.
 */
export function claimMemoryStore(store: MemoryStore, where: string): TinyLfuStore {
  const record = engines.get(store);
  if (record === undefined) {
    throw new ConfigurationError(`${where}: \`l1\` must be a memoryStore() or false`);
  }
  if (record.claimed) {
    throw new ConfigurationError(
      `${where}: \`l1\` is already used by another cache (give each cache its own memoryStore())`,
    );
  }
  record.claimed = true;
  return record.engine;
}

function safeSizeOf(sizeOf: (value: unknown) => number): (value: unknown) => number {
  return (value) => {
    let size: unknown;
    try {
      size = sizeOf(value);
    } catch {
      return approximateSize(value);
    }
    return typeof size === 'number' && Number.isFinite(size) && size >= 0
      ? size
      : approximateSize(value);
  };
}
