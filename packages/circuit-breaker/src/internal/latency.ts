/**
 * Log-scale latency bins: bin 0 holds calls under 1 ms, bin `b` (1–14) holds
 * [2^(b-1), 2^b) ms, and the last bin everything from 16 384 ms up. Sixteen counters per
 * window bucket bound the memory of a breaker whatever its traffic, unlike keeping every
 * latency (opossum keeps an array of all of them per bucket).
 */
export const LATENCY_BINS = 16;

const LAST_BIN = LATENCY_BINS - 1;
const LAST_BIN_FROM_MS = 2 ** (LAST_BIN - 1);

/** The bin of a latency in milliseconds. */
export function latencyBin(latencyMs: number): number {
  if (!(latencyMs >= 1)) return 0;
  if (latencyMs >= LAST_BIN_FROM_MS) return LAST_BIN;
  return 32 - Math.clz32(latencyMs);
}

function binLowerBound(bin: number): number {
  return bin === 0 ? 0 : 2 ** (bin - 1);
}

function binUpperBound(bin: number): number {
  return bin === LAST_BIN ? Number.POSITIVE_INFINITY : 2 ** bin;
}

/**
 * Estimates the `quantile` (0–1) of a histogram by linear interpolation inside the bin that
 * holds it, never above `maxMs` (the slowest latency recorded). 0 for an empty histogram.
 */
export function estimateQuantile(
  histogram: ArrayLike<number>,
  total: number,
  maxMs: number,
  quantile: number,
): number {
  if (total <= 0) return 0;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let below = 0;
  for (let bin = 0; bin < LATENCY_BINS; bin++) {
    const count = histogram[bin] ?? 0;
    if (count > 0 && below + count >= rank) {
      const lower = Math.min(binLowerBound(bin), maxMs);
      const upper = Math.min(binUpperBound(bin), maxMs);
      const estimate = lower + ((upper - lower) * (rank - below)) / count;
      return Math.round(estimate * 100) / 100;
    }
    below += count;
  }
  return maxMs;
}
