/**
 * The plain-array implementation the benchmarks compare against: the formulas written
 * the obvious way, with plain objects and arrays (`number[]` points, `Math.log10`, the category
 * normalised per call, a full sort for nearest neighbours). It validates like the package does,
 * so the comparison measures layout and algorithms, not skipped checks.
 */
import type { BlockMetrics } from '@rampart/hypercube';

const TABLE: Readonly<Record<string, number>> = {
  physics: 0.1,
  mathematics: 0.2,
  astronomy: 0.3,
  biology: 0.4,
  chemistry: 0.5,
  computer_science: 0.6,
  engineering: 0.7,
  earth_science: 0.8,
  social_science: 0.9,
  general: 0.5,
};

const unit = (value: unknown): value is number =>
  typeof value === 'number' && value >= 0 && value <= 1;
const nonNegative = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0;

export function plainPosition(metrics: BlockMetrics): number[] {
  for (const field of [
    'problemDifficulty',
    'solutionQuality',
    'validationConfidence',
    'impactFactor',
    'noveltyScore',
  ] as const) {
    if (!unit(metrics[field])) throw new Error(`${field} must be between 0 and 1`);
  }
  if (!nonNegative(metrics.userComplexity) || !nonNegative(metrics.timeTaken)) {
    throw new Error('userComplexity and timeTaken must be finite and non-negative');
  }
  const key = metrics.category.toLowerCase().replaceAll(' ', '_');
  const category = Object.hasOwn(TABLE, key) ? (TABLE[key] ?? 0.5) : 0.5;
  return [
    metrics.problemDifficulty * category,
    metrics.solutionQuality * metrics.validationConfidence,
    Math.min(Math.log10(metrics.userComplexity + 1) / Math.log10(1000), 1),
    Math.min(Math.log10(metrics.timeTaken + 1) / Math.log10(604800), 1),
    metrics.impactFactor,
    metrics.userComplexity,
    metrics.problemDifficulty,
    metrics.noveltyScore,
  ];
}

/** The k nearest points by Euclidean distance: every distance computed, then a full sort. */
export function plainNearest(
  points: readonly (readonly number[])[],
  query: readonly number[],
  k: number,
): { index: number; distance: number }[] {
  const all = points.map((point, index) => {
    let sum = 0;
    for (let dimension = 0; dimension < 8; dimension++) {
      const delta = (point[dimension] ?? 0) - (query[dimension] ?? 0);
      sum += delta * delta;
    }
    return { index, distance: Math.sqrt(sum) };
  });
  all.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return all.slice(0, k);
}
