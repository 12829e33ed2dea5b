/**
 * Deterministic inputs shared by the benchmarks: block metrics shaped like real ones (mixed
 * category spellings, integer complexities, times from a tenth of a second to two weeks).
 */
import type { BlockMetrics, BlockMetricsColumns } from '@rampart/hypercube';

/** A small, fast, seeded generator (mulberry32), so every run measures the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export const CATEGORY_NAMES: readonly string[] = [
  'physics',
  'Mathematics',
  'astronomy',
  'Biology',
  'chemistry',
  'Computer Science',
  'engineering',
  'Earth Science',
  'social_science',
  'general',
  'cooking',
];

export function makeRecords(count: number, seed = 42): BlockMetrics[] {
  const random = seededRandom(seed);
  const records: BlockMetrics[] = [];
  for (let index = 0; index < count; index++) {
    records.push({
      problemDifficulty: random(),
      solutionQuality: random(),
      validationConfidence: random(),
      impactFactor: random(),
      noveltyScore: random(),
      category: CATEGORY_NAMES[Math.floor(random() * CATEGORY_NAMES.length)] ?? 'general',
      userComplexity: Math.floor(random() * random() * 2_000),
      // Log-uniform between 0.1 s and two weeks.
      timeTaken: 0.1 * 12_096_000 ** random(),
    });
  }
  return records;
}

/** The same records as columns, with the categories dictionary-encoded. */
export function toColumns(records: readonly BlockMetrics[]): BlockMetricsColumns {
  const column = (read: (metrics: BlockMetrics) => number): Float64Array =>
    Float64Array.from(records, read);
  const names = [...new Set(records.map((metrics) => metrics.category))];
  const codeOf = new Map(names.map((name, index) => [name, index]));
  return {
    problemDifficulty: column((metrics) => metrics.problemDifficulty),
    solutionQuality: column((metrics) => metrics.solutionQuality),
    validationConfidence: column((metrics) => metrics.validationConfidence),
    impactFactor: column((metrics) => metrics.impactFactor),
    noveltyScore: column((metrics) => metrics.noveltyScore),
    userComplexity: column((metrics) => metrics.userComplexity),
    timeTaken: column((metrics) => metrics.timeTaken),
    category: {
      codes: Uint8Array.from(records, (metrics) => codeOf.get(metrics.category) ?? 0),
      names,
    },
  };
}
