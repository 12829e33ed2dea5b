import type { CircuitWindowBucket } from '../snapshot.ts';
import { LATENCY_BINS, latencyBin } from './latency.ts';

/** Indexes of the counters kept per bucket. */
export const COUNTER = {
  successes: 0,
  failures: 1,
  timeouts: 2,
  slowCalls: 3,
  ignored: 4,
  aborted: 5,
  rejected: 6,
  capacityRejected: 7,
} as const;

/** One of the {@link COUNTER} indexes. */
export type Counter = (typeof COUNTER)[keyof typeof COUNTER];

const COUNTER_NAMES = Object.keys(COUNTER) as (keyof typeof COUNTER)[];
const COUNTERS = COUNTER_NAMES.length;
const MAX_LATENCY = COUNTERS;
/** Latency bins are 16-bit counts packed two per 32-bit word. */
const FIRST_BIN_WORD = COUNTERS + 1;
const STRIDE = FIRST_BIN_WORD + LATENCY_BINS / 2;
const BIN_LIMIT = 0xffff;

/** Counters that make a call count as healthy, and as a failure, for the failure rate. */
const HEALTHY = (1 << COUNTER.successes) | (1 << COUNTER.ignored);
const UNHEALTHY = (1 << COUNTER.failures) | (1 << COUNTER.timeouts) | (1 << COUNTER.slowCalls);

/** The geometry of a window: `rollingWindowBuckets` slices of `bucketMs`. */
export interface WindowShape {
  readonly bucketMs: number;
  readonly rollingWindowBuckets: number;
}

/** Sums over the whole window. */
export interface WindowTotals {
  /** Per {@link COUNTER} index. */
  readonly counts: readonly number[];
  /** Per latency bin. */
  readonly histogram: readonly number[];
  /** Slowest latency recorded, rounded up to a whole millisecond. */
  readonly maxLatencyMs: number;
  /** Sum of `histogram` (below the calls counted once a bin was halved). */
  readonly histogramTotal: number;
}

function readBin(data: Uint32Array, base: number, bin: number): number {
  const word = data[base + FIRST_BIN_WORD + (bin >> 1)] ?? 0;
  return (word >>> ((bin & 1) * 16)) & BIN_LIMIT;
}

function addToBin(data: Uint32Array, base: number, bin: number): void {
  if (readBin(data, base, bin) === BIN_LIMIT) {
    // Halve the bucket's histogram, rounding up so no non-empty bin becomes empty.
    for (let word = base + FIRST_BIN_WORD; word < base + STRIDE; word++) {
      const value = data[word] ?? 0;
      const low = ((value & BIN_LIMIT) + 1) >>> 1;
      const high = ((value >>> 16) + 1) >>> 1;
      data[word] = ((high << 16) | low) >>> 0;
    }
  }
  const index = base + FIRST_BIN_WORD + (bin >> 1);
  data[index] = ((data[index] ?? 0) + (bin & 1 ? 0x1_0000 : 1)) >>> 0;
}

function floorMod(value: number, divisor: number): number {
  return ((value % divisor) + divisor) % divisor;
}

/**
 * The rolling window of one breaker: `rollingWindowBuckets` time slices of `bucketMs`, each with its
 * counters and a latency histogram, all in one typed array of 17 words per bucket allocated
 * on the first record (an idle breaker costs a few dozen bytes). Latency bins are 16-bit:
 * when one would overflow, every bin of that bucket is halved, which keeps the bucket's
 * latency distribution (percentiles are relative) at the cost of its weight against other
 * buckets — only past 65 535 calls in one bin of one bucket. Buckets expire lazily from the clock when the
 * window is touched, so no timer rotates them: a registry of thousands of breakers runs no
 * timer at all. Healthy and unhealthy totals are kept up to date, so deciding whether to
 * open is O(1).
 */
export class RollingWindow {
  /** Shared by every window with the same policy, so it costs one field per breaker. */
  readonly #shape: WindowShape;
  #data: Uint32Array | null = null;
  /** Index (time / bucketMs) of the newest time slice. */
  #epoch: number;
  #healthy = 0;
  #unhealthy = 0;

  constructor(shape: WindowShape, now: number) {
    this.#shape = shape;
    this.#epoch = Math.floor(now / shape.bucketMs);
  }

  /** Calls counted as healthy (successes and ignored errors) in the window. */
  get healthy(): number {
    return this.#healthy;
  }

  /** Calls counted as failures (errors, timeouts, slow calls) in the window. */
  get unhealthy(): number {
    return this.#unhealthy;
  }

  /** Failure rate in percent; 0 without calls. */
  get failureRate(): number {
    const calls = this.#healthy + this.#unhealthy;
    return calls === 0 ? 0 : (this.#unhealthy / calls) * 100;
  }

  /** Moves the window to `now`, clearing the buckets that left it. */
  advance(now: number): void {
    const epoch = Math.floor(now / this.#shape.bucketMs);
    if (epoch <= this.#epoch) return; // same slice, or a clock that stepped back
    const data = this.#data;
    if (data !== null) {
      const expired = Math.min(epoch - this.#epoch, this.#shape.rollingWindowBuckets);
      for (let step = 1; step <= expired; step++) {
        this.#clearSlot(
          data,
          floorMod(this.#epoch + step, this.#shape.rollingWindowBuckets) * STRIDE,
        );
      }
    }
    this.#epoch = epoch;
  }

  /** Counts one event in the newest bucket; a `latencyMs` below 0 records no latency. */
  record(counter: Counter, latencyMs: number): void {
    let data = this.#data;
    if (data === null) {
      data = new Uint32Array(this.#shape.rollingWindowBuckets * STRIDE);
      this.#data = data;
    }
    const base = floorMod(this.#epoch, this.#shape.rollingWindowBuckets) * STRIDE;
    data[base + counter] = (data[base + counter] ?? 0) + 1;
    const bit = 1 << counter;
    if ((bit & HEALTHY) !== 0) this.#healthy++;
    else if ((bit & UNHEALTHY) !== 0) this.#unhealthy++;
    if (latencyMs >= 0) {
      addToBin(data, base, latencyBin(latencyMs));
      const rounded = Math.min(Math.ceil(latencyMs), 0xffff_ffff);
      if (rounded > (data[base + MAX_LATENCY] ?? 0)) data[base + MAX_LATENCY] = rounded;
    }
  }

  /** Forgets every call. */
  clear(): void {
    this.#data?.fill(0);
    this.#healthy = 0;
    this.#unhealthy = 0;
  }

  /** Sums of every bucket in the window (call {@link RollingWindow.advance} first). */
  totals(): WindowTotals {
    const counts = new Array<number>(COUNTERS).fill(0);
    const histogram = new Array<number>(LATENCY_BINS).fill(0);
    let maxLatencyMs = 0;
    let histogramTotal = 0;
    const data = this.#data;
    if (data !== null) {
      for (let base = 0; base < data.length; base += STRIDE) {
        for (let index = 0; index < COUNTERS; index++) {
          counts[index] = (counts[index] ?? 0) + (data[base + index] ?? 0);
        }
        for (let bin = 0; bin < LATENCY_BINS; bin++) {
          const count = readBin(data, base, bin);
          histogram[bin] = (histogram[bin] ?? 0) + count;
          histogramTotal += count;
        }
        maxLatencyMs = Math.max(maxLatencyMs, data[base + MAX_LATENCY] ?? 0);
      }
    }
    return { counts, histogram, maxLatencyMs, histogramTotal };
  }

  /** The non-empty buckets, newest first (call {@link RollingWindow.advance} first). */
  export(): CircuitWindowBucket[] {
    const data = this.#data;
    const buckets: CircuitWindowBucket[] = [];
    if (data === null) return buckets;
    for (let age = 0; age < this.#shape.rollingWindowBuckets; age++) {
      const epoch = this.#epoch - age;
      const base = floorMod(epoch, this.#shape.rollingWindowBuckets) * STRIDE;
      let empty = true;
      for (let index = 0; index < COUNTERS; index++) if (data[base + index] !== 0) empty = false;
      if (empty) continue;
      const bucket: Record<string, number> = { startedAt: epoch * this.#shape.bucketMs };
      COUNTER_NAMES.forEach((name, index) => {
        bucket[name] = data[base + index] ?? 0;
      });
      buckets.push(bucket as unknown as CircuitWindowBucket);
    }
    return buckets;
  }

  /**
   * Adds exported buckets that still fall inside the window (call
   * {@link RollingWindow.advance} first). Buckets of another length are ignored: they
   * cannot be mapped onto this window's slices.
   */
  import(buckets: readonly CircuitWindowBucket[], bucketMs: number): void {
    if (bucketMs !== this.#shape.bucketMs) return;
    for (const bucket of buckets) {
      const epoch = bucket.startedAt / bucketMs;
      if (
        !Number.isInteger(epoch) ||
        epoch > this.#epoch ||
        epoch <= this.#epoch - this.#shape.rollingWindowBuckets
      ) {
        continue;
      }
      let data = this.#data;
      if (data === null) {
        data = new Uint32Array(this.#shape.rollingWindowBuckets * STRIDE);
        this.#data = data;
      }
      const base = floorMod(epoch, this.#shape.rollingWindowBuckets) * STRIDE;
      COUNTER_NAMES.forEach((name, index) => {
        const added = Math.min((data[base + index] ?? 0) + bucket[name], 0xffff_ffff);
        data[base + index] = added;
      });
      this.#healthy += bucket.successes + bucket.ignored;
      this.#unhealthy += bucket.failures + bucket.timeouts + bucket.slowCalls;
    }
  }

  #clearSlot(data: Uint32Array, base: number): void {
    this.#healthy -= (data[base + COUNTER.successes] ?? 0) + (data[base + COUNTER.ignored] ?? 0);
    this.#unhealthy -=
      (data[base + COUNTER.failures] ?? 0) +
      (data[base + COUNTER.timeouts] ?? 0) +
      (data[base + COUNTER.slowCalls] ?? 0);
    data.fill(0, base, base + STRIDE);
  }
}
