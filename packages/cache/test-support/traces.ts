/**
 * Synthetic access traces and a plain LRU, for the L1 hit-ratio test and benchmark: a
 * skewed (Zipf) workload with a scan of one-off keys mixed in, replayed against W-TinyLFU
 * and against LRU of the same size.
 */
import { ENTRY_OVERHEAD_BYTES, TinyLfuStore } from '../src/internal/tiny-lfu-store.ts';

/** A deterministic PRNG (mulberry32), so traces are the same on every run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Options of {@link zipfWithScanTrace}. */
export interface TraceOptions {
  /** Distinct popular keys. */
  readonly keys: number;
  /** Zipf exponent: 1 is the classic web-cache skew. */
  readonly exponent: number;
  /** Number of accesses of popular keys. */
  readonly accesses: number;
  /** Number of one-off scan keys, interleaved evenly in the middle half of the trace. */
  readonly scanLength: number;
  readonly seed: number;
}

/** Zipf-distributed accesses over `keys` keys with a scan of never-repeated keys mixed in. */
export function zipfWithScanTrace(options: TraceOptions): string[] {
  const random = seededRandom(options.seed);
  const cumulative: number[] = [];
  let total = 0;
  for (let rank = 1; rank <= options.keys; rank += 1) {
    total += 1 / rank ** options.exponent;
    cumulative.push(total);
  }
  const pick = (): number => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((cumulative[middle] ?? 0) < target) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  // A random permutation of ranks, so popularity is not ordered like the key names.
  const names = Array.from({ length: options.keys }, (_, index) => `item:${index}`);
  for (let index = names.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [names[index], names[other]] = [names[other] ?? '', names[index] ?? ''];
  }
  const trace: string[] = [];
  const scanStart = Math.floor(options.accesses / 4);
  const scanEnd = Math.floor((options.accesses * 3) / 4);
  const scanEvery = (scanEnd - scanStart) / Math.max(1, options.scanLength);
  let scanned = 0;
  for (let access = 0; access < options.accesses; access += 1) {
    trace.push(names[pick()] ?? '');
    while (
      access >= scanStart &&
      scanned < options.scanLength &&
      access - scanStart >= scanned * scanEvery
    ) {
      trace.push(`scan:${scanned}`);
      scanned += 1;
    }
  }
  return trace;
}

/** A plain LRU of `capacity` entries on a `Map` (insertion order = recency). */
export function lruHitRatio(trace: readonly string[], capacity: number): number {
  const lru = new Map<string, true>();
  let hits = 0;
  for (const key of trace) {
    if (lru.has(key)) {
      hits += 1;
      lru.delete(key);
      lru.set(key, true);
      continue;
    }
    lru.set(key, true);
    if (lru.size > capacity) {
      const oldest = lru.keys().next().value;
      if (oldest !== undefined) lru.delete(oldest);
    }
  }
  return hits / trace.length;
}

/** The hit ratio of the L1 engine with `capacity` entries on `trace` (insert on miss). */
export function tinyLfuHitRatio(trace: readonly string[], capacity: number): number {
  const store = new TinyLfuStore({
    maxEntries: capacity,
    maxBytes: Number.POSITIVE_INFINITY,
    sizeOf: () => ENTRY_OVERHEAD_BYTES,
    seed: 0x5eed,
  });
  const entry = {
    value: 1,
    expiresAt: Number.MAX_SAFE_INTEGER,
    graceUntil: Number.MAX_SAFE_INTEGER,
    createdAt: 0,
    storedAt: 0,
    tags: undefined,
    loadMs: 0,
    retryAt: 0,
  };
  let hits = 0;
  for (const key of trace) {
    if (store.get(key, 0) !== undefined) hits += 1;
    else store.set(key, entry, 0);
  }
  return hits / trace.length;
}
