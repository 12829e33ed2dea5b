import type { CacheEntry } from './entry.ts';
import { FrequencySketch, hashKey } from './frequency-sketch.ts';
import { NodeList, type StoreNode } from './node-list.ts';

/** Why an entry left L1 to respect its bounds. */
export type EvictionReason = 'capacity' | 'rejected';

/** Called for every entry evicted by the bounds (not for deletes or expiry). */
export type EvictionListener = (key: string, reason: EvictionReason) => void;

/** Bounds and size estimate of a {@link TinyLfuStore}. */
export interface TinyLfuStoreOptions {
  readonly maxEntries: number;
  /** `Infinity` for no byte bound. */
  readonly maxBytes: number;
  /** Approximate bytes of a value; the key and the node's overhead are added to it. */
  readonly sizeOf: (value: unknown) => number;
  /** Seed of the key hash; random by default so colliding keys cannot be chosen from outside. */
  readonly seed?: number;
}

/** Bytes counted per entry on top of its value and key: the node, the map slot, the entry. */
export const ENTRY_OVERHEAD_BYTES = 96;
const WINDOW_SHARE = 0.01;
const PROTECTED_SHARE = 0.8;

/**
 * L1's engine: a map plus W-TinyLFU eviction (Einziger, Friedman and Manes, "TinyLFU: A
 * Highly Efficient Cache Admission Policy", and Caffeine's design), bounded both by entry
 * count and by approximate bytes.
 *
 * New entries land in a small LRU window (1 % of each bound). An entry pushed out of the
 * window enters the main space if there is room; otherwise it must be seen more often, per
 * the frequency sketch, than the main space's eviction victim, or it is dropped. A scan of
 * one-off keys therefore cannot flush the popular ones, as it does in plain LRU. The main
 * space is a segmented LRU: a probation segment for entries seen once there, and a protected
 * one (80 %) for entries hit again.
 *
 * Nothing is allocated up front for the maximum: the map and the lists grow per entry and
 * the sketch doubles with the entry count.
 */
export class TinyLfuStore {
  readonly maxEntries: number;
  readonly maxBytes: number;
  onEvict: EvictionListener | undefined;

  readonly #sizeOf: (value: unknown) => number;
  readonly #map = new Map<string, StoreNode>();
  readonly #window = new NodeList();
  readonly #probation = new NodeList();
  readonly #protected = new NodeList();
  readonly #sketch: FrequencySketch;
  readonly #seed: number;
  readonly #windowMaxEntries: number;
  readonly #windowMaxBytes: number;
  readonly #mainMaxEntries: number;
  readonly #mainMaxBytes: number;
  readonly #protectedMaxEntries: number;
  readonly #protectedMaxBytes: number;

  constructor(options: TinyLfuStoreOptions) {
    this.maxEntries = options.maxEntries;
    this.maxBytes = options.maxBytes;
    this.#sizeOf = options.sizeOf;
    this.#seed = options.seed ?? (Math.random() * 0x1_0000_0000) >>> 0;
    this.#sketch = new FrequencySketch(options.maxEntries);
    this.#windowMaxEntries = Math.max(1, Math.floor(options.maxEntries * WINDOW_SHARE));
    this.#mainMaxEntries = options.maxEntries - this.#windowMaxEntries;
    this.#protectedMaxEntries = Math.floor(this.#mainMaxEntries * PROTECTED_SHARE);
    const bounded = Number.isFinite(options.maxBytes);
    this.#windowMaxBytes = bounded ? options.maxBytes * WINDOW_SHARE : Infinity;
    this.#mainMaxBytes = bounded ? options.maxBytes - this.#windowMaxBytes : Infinity;
    this.#protectedMaxBytes = bounded ? this.#mainMaxBytes * PROTECTED_SHARE : Infinity;
  }

  /** Number of entries held, including expired ones not yet collected. */
  get size(): number {
    return this.#map.size;
  }

  /** Approximate bytes held. */
  get bytes(): number {
    return this.#window.bytes + this.#probation.bytes + this.#protected.bytes;
  }

  /**
   * The entry for `key`, fresh or stale, counting the access; `undefined` when absent or past
   * its grace (such an entry is removed).
   */
  get(key: string, now: number): CacheEntry | undefined {
    const node = this.#map.get(key);
    if (node === undefined) {
      this.#sketch.increment(hashKey(key, this.#seed));
      return undefined;
    }
    this.#sketch.increment(node.hash);
    if (node.entry.graceUntil <= now) {
      this.#unlink(node);
      return undefined;
    }
    this.#onHit(node);
    return node.entry;
  }

  /** The entry for `key` without counting an access or touching recency. */
  peek(key: string, now: number): CacheEntry | undefined {
    const node = this.#map.get(key);
    if (node === undefined || node.entry.graceUntil <= now) return undefined;
    return node.entry;
  }

  /** Stores `entry` under `key`, then evicts until both bounds hold again. */
  set(key: string, entry: CacheEntry, now: number): void {
    const size = this.#sizeOf(entry.value) + 2 * key.length + ENTRY_OVERHEAD_BYTES;
    const existing = this.#map.get(key);
    if (size > this.maxBytes) {
      if (existing !== undefined) this.#unlink(existing);
      this.onEvict?.(key, 'rejected');
      return;
    }
    if (existing !== undefined) {
      this.#listOf(existing).bytes += size - existing.size;
      existing.size = size;
      existing.entry = entry;
      this.#sketch.increment(existing.hash);
      this.#onHit(existing);
    } else {
      const node: StoreNode = {
        key,
        hash: hashKey(key, this.#seed),
        entry,
        size,
        region: 'window',
        prev: null,
        next: null,
      };
      this.#map.set(key, node);
      this.#window.pushHead(node);
      this.#sketch.ensureCapacity(this.#map.size);
      this.#sketch.increment(node.hash);
    }
    this.#evictFromWindow(now);
    this.#evictFromMain();
  }

  /** Removes `key`; whether it was held. */
  delete(key: string): boolean {
    const node = this.#map.get(key);
    if (node === undefined) return false;
    this.#unlink(node);
    return true;
  }

  /** Removes every entry and forgets the frequencies. */
  clear(): void {
    this.#map.clear();
    this.#window.clear();
    this.#probation.clear();
    this.#protected.clear();
    this.#sketch.clear();
  }

  /** Keys held, in no particular order (for tests and diagnostics). */
  keys(): IterableIterator<string> {
    return this.#map.keys();
  }

  /** Entry counts and bytes per segment (for tests and diagnostics). */
  segments(): Record<'window' | 'probation' | 'protected', { count: number; bytes: number }> {
    const of = (list: NodeList) => ({ count: list.count, bytes: list.bytes });
    return {
      window: of(this.#window),
      probation: of(this.#probation),
      protected: of(this.#protected),
    };
  }

  #listOf(node: StoreNode): NodeList {
    if (node.region === 'window') return this.#window;
    return node.region === 'probation' ? this.#probation : this.#protected;
  }

  #unlink(node: StoreNode): void {
    this.#listOf(node).remove(node);
    this.#map.delete(node.key);
  }

  #evict(node: StoreNode, reason: EvictionReason): void {
    this.#unlink(node);
    this.onEvict?.(node.key, reason);
  }

  #onHit(node: StoreNode): void {
    if (node.region === 'window') {
      this.#window.moveToHead(node);
    } else if (node.region === 'protected') {
      this.#protected.moveToHead(node);
    } else {
      this.#probation.remove(node);
      node.region = 'protected';
      this.#protected.pushHead(node);
      const segment = this.#protected;
      while (segment.count > this.#protectedMaxEntries || segment.bytes > this.#protectedMaxBytes) {
        const demoted = segment.tail;
        if (demoted === null) break;
        segment.remove(demoted);
        demoted.region = 'probation';
        this.#probation.pushHead(demoted);
      }
    }
  }

  /** Moves what overflows the window into the main space, through the admission filter. */
  #evictFromWindow(now: number): void {
    const window = this.#window;
    while (window.count > this.#windowMaxEntries || window.bytes > this.#windowMaxBytes) {
      const candidate = window.tail;
      if (candidate === null) return;
      window.remove(candidate);
      this.#admit(candidate, now);
    }
  }

  #admit(candidate: StoreNode, now: number): void {
    if (candidate.entry.graceUntil <= now) {
      this.#map.delete(candidate.key);
      return;
    }
    const probation = this.#probation;
    for (;;) {
      const count = probation.count + this.#protected.count;
      const bytes = probation.bytes + this.#protected.bytes;
      if (count < this.#mainMaxEntries && bytes + candidate.size <= this.#mainMaxBytes) {
        candidate.region = 'probation';
        probation.pushHead(candidate);
        return;
      }
      const victim = probation.tail ?? this.#protected.tail;
      if (victim === null) {
        this.#map.delete(candidate.key);
        this.onEvict?.(candidate.key, 'rejected');
        return;
      }
      if (victim.entry.graceUntil <= now) {
        this.#unlink(victim);
        continue;
      }
      if (this.#sketch.frequency(candidate.hash) > this.#sketch.frequency(victim.hash)) {
        this.#evict(victim, 'capacity');
        continue;
      }
      this.#map.delete(candidate.key);
      this.onEvict?.(candidate.key, 'rejected');
      return;
    }
  }

  /** Evicts main-space LRU entries while a resized entry keeps the main space over its bounds. */
  #evictFromMain(): void {
    for (;;) {
      const count = this.#probation.count + this.#protected.count;
      const bytes = this.#probation.bytes + this.#protected.bytes;
      if (count <= this.#mainMaxEntries && bytes <= this.#mainMaxBytes) return;
      const victim = this.#probation.tail ?? this.#protected.tail;
      if (victim === null) return;
      this.#evict(victim, 'capacity');
    }
  }
}
