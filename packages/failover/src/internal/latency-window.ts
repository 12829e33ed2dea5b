import type { ProviderLatency } from '../state.ts';

/** Successes kept per provider: enough for a p99, small enough to follow changes quickly. */
const CAPACITY = 128;
/** New samples after which the sorted copy is rebuilt; percentiles may lag that many calls. */
const RESORT_EVERY = 8;

/** Rank of quantile `q` (0–1) in `sorted` (nearest-rank method). */
function rankValue(sorted: Float64Array, count: number, quantile: number): number {
  const rank = Math.min(count, Math.max(1, Math.ceil(quantile * count)));
  return sorted[rank - 1] ?? 0;
}

/**
 * The latencies of a provider's last {@link CAPACITY} successful calls in a ring buffer, with
 * percentiles from a sorted copy rebuilt lazily (at most once per {@link RESORT_EVERY} new
 * samples), so reading a percentile on every call costs a lookup, not a sort.
 */
export class LatencyWindow {
  readonly #samples = new Float64Array(CAPACITY);
  readonly #sorted = new Float64Array(CAPACITY);
  #count = 0;
  #next = 0;
  #sortedCount = 0;
  #unsorted = 0;

  /** Records one success that took `latencyMs`. */
  record(latencyMs: number): void {
    this.#samples[this.#next] = Number.isFinite(latencyMs) && latencyMs > 0 ? latencyMs : 0;
    this.#next = (this.#next + 1) % CAPACITY;
    if (this.#count < CAPACITY) this.#count++;
    this.#unsorted++;
  }

  /** Successes recorded, at most {@link CAPACITY}. */
  get samples(): number {
    return this.#count;
  }

  /** The `quantile` (0–1) of the recorded latencies; 0 without samples. */
  quantile(quantile: number): number {
    if (this.#count === 0) return 0;
    if (this.#sortedCount === 0 || this.#unsorted >= RESORT_EVERY) this.#resort();
    return rankValue(this.#sorted, this.#sortedCount, quantile);
  }

  /** The percentiles reported by `state()`, always from every sample recorded. */
  percentiles(): ProviderLatency {
    if (this.#unsorted > 0) this.#resort();
    const count = this.#sortedCount;
    return {
      p50: count === 0 ? 0 : rankValue(this.#sorted, count, 0.5),
      p90: count === 0 ? 0 : rankValue(this.#sorted, count, 0.9),
      p95: count === 0 ? 0 : rankValue(this.#sorted, count, 0.95),
      p99: count === 0 ? 0 : rankValue(this.#sorted, count, 0.99),
      samples: count,
    };
  }

  #resort(): void {
    const count = this.#count;
    this.#sorted.set(this.#samples.subarray(0, count));
    this.#sorted.subarray(0, count).sort();
    this.#sortedCount = count;
    this.#unsorted = 0;
  }
}
