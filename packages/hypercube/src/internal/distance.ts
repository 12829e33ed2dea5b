import type { PointLike } from '../dimensions.ts';

/**
 * Σ (aᵢ − bᵢ)², summed in dimension order from 0. Every Euclidean computation of the package
 * (`euclidean`, `distancesInto`, point-set searches) sums in this order, so they agree bit for bit.
 */
export function squaredEuclidean(a: PointLike, b: PointLike): number {
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const delta = (a[index] as number) - (b[index] as number);
    sum += delta * delta;
  }
  return sum;
}

/** Σ (pᵢ − 0.5)², summed in dimension order from 0. */
export function squaredDistanceToCenter(point: PointLike): number {
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const delta = (point[index] as number) - 0.5;
    sum += delta * delta;
  }
  return sum;
}

/** Σ (points[at + i] − qᵢ)² in dimension order (the order of `squaredEuclidean`). */
export function squaredRow(
  points: Float64Array,
  at: number,
  q0: number,
  q1: number,
  q2: number,
  q3: number,
  q4: number,
  q5: number,
  q6: number,
  q7: number,
): number {
  const d0 = (points[at] as number) - q0;
  const d1 = (points[at + 1] as number) - q1;
  const d2 = (points[at + 2] as number) - q2;
  const d3 = (points[at + 3] as number) - q3;
  const d4 = (points[at + 4] as number) - q4;
  const d5 = (points[at + 5] as number) - q5;
  const d6 = (points[at + 6] as number) - q6;
  const d7 = (points[at + 7] as number) - q7;
  return d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3 + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
}
