import type { Sample } from './client.ts';

/** The `p`-th percentile (0–100) of `values` by nearest rank; `NaN` for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

/** How many samples fall in each group. */
export function countBy(
  samples: readonly Sample[],
  groupOf: (sample: Sample) => string | number | undefined,
): Map<string, number> {
  const counts = new Map<string, number>();
  for (const sample of samples) {
    const group = groupOf(sample);
    if (group === undefined) continue;
    counts.set(String(group), (counts.get(String(group)) ?? 0) + 1);
  }
  return counts;
}

/** Latency percentiles of `samples`, in milliseconds. */
export function latencySummary(samples: readonly Sample[]): {
  p50: number;
  p95: number;
  p99: number;
  max: number;
} {
  const latencies = samples.map((sample) => sample.latencyMs);
  return {
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max:
      latencies.length === 0 ? Number.NaN : latencies.reduce((max, value) => Math.max(max, value)),
  };
}
