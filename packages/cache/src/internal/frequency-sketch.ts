/**
 * A count-min sketch of 4-bit counters that estimates how often a key was seen recently:
 * the admission filter of W-TinyLFU. Four rows, one counter per row per key, the estimate is
 * the smallest of the four. Counters saturate at 15 and are all halved after a sample of
 * `10 × width` increments, so old popularity fades ("aging").
 *
 * It starts small and doubles with the number of cached entries (never beyond the cache's
 * maximum), so an empty cache with a large `maxEntries` does not allocate for it up front.
 * Growing resets the counts, as Caffeine's sketch does.
 */
const ROWS = 4;
const MAX_COUNT = 15;
const MIN_WIDTH = 16;
const SEEDS: readonly number[] = [0x97cb3127, 0xb8a3e0e5, 0x3c6ef372, 0xe67a1b05];

export class FrequencySketch {
  #table: Uint8Array;
  #width: number;
  #mask: number;
  #additions = 0;
  #sampleSize: number;
  readonly #maxWidth: number;

  /** @param maxEntries - the cache's entry bound, which caps the sketch's width. */
  constructor(maxEntries: number) {
    this.#maxWidth = Math.max(MIN_WIDTH, nextPowerOfTwo(maxEntries));
    this.#width = MIN_WIDTH;
    this.#mask = MIN_WIDTH - 1;
    this.#table = new Uint8Array(ROWS * MIN_WIDTH);
    this.#sampleSize = 10 * MIN_WIDTH;
  }

  /** Counters per row; grows with {@link FrequencySketch.ensureCapacity}. */
  get width(): number {
    return this.#width;
  }

  /** Grows the sketch (resetting it) when `entries` outgrew it. */
  ensureCapacity(entries: number): void {
    if (entries <= this.#width || this.#width >= this.#maxWidth) return;
    const width = Math.min(this.#maxWidth, nextPowerOfTwo(entries));
    this.#width = width;
    this.#mask = width - 1;
    this.#table = new Uint8Array(ROWS * width);
    this.#sampleSize = 10 * width;
    this.#additions = 0;
  }

  /** The estimated recent frequency of the key with this hash, 0–15. */
  frequency(hash: number): number {
    let minimum = MAX_COUNT;
    for (let row = 0; row < ROWS; row += 1) {
      const count = this.#table[this.#index(hash, row)] ?? 0;
      if (count < minimum) minimum = count;
    }
    return minimum;
  }

  /** Records one access of the key with this hash. */
  increment(hash: number): void {
    const table = this.#table;
    let added = false;
    for (let row = 0; row < ROWS; row += 1) {
      const index = this.#index(hash, row);
      const count = table[index] ?? MAX_COUNT;
      if (count < MAX_COUNT) {
        table[index] = count + 1;
        added = true;
      }
    }
    if (added && ++this.#additions >= this.#sampleSize) this.#age();
  }

  /** Forgets everything. */
  clear(): void {
    this.#table.fill(0);
    this.#additions = 0;
  }

  #index(hash: number, row: number): number {
    let mixed = Math.imul(hash ^ (SEEDS[row] ?? 0), 0x9e3779b1);
    mixed ^= mixed >>> 15;
    return row * this.#width + (mixed & this.#mask);
  }

  #age(): void {
    const table = this.#table;
    for (let index = 0; index < table.length; index += 1) table[index] = (table[index] ?? 0) >>> 1;
    this.#additions >>>= 1;
  }
}

/** FNV-1a over the key's UTF-16 units, seeded per store so hashes cannot be predicted. */
export function hashKey(key: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let index = 0; index < key.length; index += 1) {
    hash ^= key.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

function nextPowerOfTwo(value: number): number {
  if (value <= 1) return 1;
  return 2 ** Math.ceil(Math.log2(value));
}
