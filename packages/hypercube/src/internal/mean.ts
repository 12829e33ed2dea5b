import type { Point, PointLike } from '../dimensions.ts';

/**
 * Per-dimension means with Neumaier-compensated sums: the error stays a few ulps whatever the
 * number of points, where a plain running sum loses digits as it grows.
 */
export function meanOfPacked(packed: Float64Array, count: number): Point {
  const sums = new Float64Array(8);
  const compensations = new Float64Array(8);
  for (let at = 0, end = count * 8; at < end; at += 8) {
    for (let dimension = 0; dimension < 8; dimension++) {
      add(sums, compensations, dimension, packed[at + dimension] as number);
    }
  }
  return finish(sums, compensations, count);
}

/** Like {@link meanOfPacked} over an array of points. */
export function meanOfPoints(points: readonly PointLike[]): Point {
  const sums = new Float64Array(8);
  const compensations = new Float64Array(8);
  for (const point of points) {
    for (let dimension = 0; dimension < 8; dimension++) {
      add(sums, compensations, dimension, point[dimension] as number);
    }
  }
  return finish(sums, compensations, points.length);
}

function add(
  sums: Float64Array,
  compensations: Float64Array,
  dimension: number,
  value: number,
): void {
  const sum = sums[dimension] as number;
  const next = sum + value;
  // Neumaier: recover what the addition rounded away, from whichever operand was smaller.
  const lost = Math.abs(sum) >= Math.abs(value) ? sum - next + value : value - next + sum;
  compensations[dimension] = (compensations[dimension] as number) + lost;
  sums[dimension] = next;
}

function finish(sums: Float64Array, compensations: Float64Array, count: number): Point {
  const mean: Point = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let dimension = 0; dimension < 8; dimension++) {
    mean[dimension] = ((sums[dimension] as number) + (compensations[dimension] as number)) / count;
  }
  return mean;
}
