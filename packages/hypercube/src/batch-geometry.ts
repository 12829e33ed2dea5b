import { invalidArgument } from '@rampart/errors';
import type { PointLike } from './dimensions.ts';
import { squaredRow } from './internal/distance.ts';
import { checkPoint } from './internal/point-check.ts';

/**
 * The Euclidean distance from every point of a packed array (8 numbers per point, point `i` at
 * `points[i * 8]`) to `query`, into `out[i]`, allocating nothing per point. Each distance has
 * exactly the bits {@link euclidean} returns for the same pair. The points are not checked one by
 * one: a NaN coordinate gives a NaN distance.
 *
 * @param out - receives one distance per point; needs `points.length / 8` numbers.
 * @returns `out`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `points` is not a `Float64Array` of a multiple of 8 numbers,
 *   `query` is not 8 finite numbers, or `out` is too small.
 *
 * @example
 * ```ts
 * import { distancesInto } from '@rampart/hypercube';
 *
 * const distances = distancesInto(packed, query, new Float64Array(packed.length / 8));
 * ```
 */
export function distancesInto(
  points: Float64Array,
  query: PointLike,
  out: Float64Array,
): Float64Array {
  const count = checkPacked(points, out, 'distancesInto');
  checkPoint(query, 'distancesInto', 'query');
  const q0 = query[0] as number;
  const q1 = query[1] as number;
  const q2 = query[2] as number;
  const q3 = query[3] as number;
  const q4 = query[4] as number;
  const q5 = query[5] as number;
  const q6 = query[6] as number;
  const q7 = query[7] as number;
  for (let index = 0, at = 0; index < count; index++, at += 8) {
    out[index] = Math.sqrt(squaredRow(points, at, q0, q1, q2, q3, q4, q5, q6, q7));
  }
  return out;
}

/**
 * The distance to the centre (0.5, …, 0.5) of every point of a packed array, into `out[i]`,
 * allocating nothing per point: {@link distanceToCenter} for millions of points (a NaN
 * coordinate gives a NaN distance).
 *
 * @param out - receives one distance per point; needs `points.length / 8` numbers.
 * @returns `out`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `points` is not a `Float64Array` of a multiple of 8 numbers or
 *   `out` is too small.
 *
 * @example
 * ```ts
 * import { distancesToCenterInto, hyperDistanceTarget } from '@rampart/hypercube';
 *
 * const distances = distancesToCenterInto(packed, new Float64Array(packed.length / 8));
 * const target = hyperDistanceTarget(4);
 * const accepted = distances.filter((distance) => distance < target).length;
 * ```
 */
export function distancesToCenterInto(points: Float64Array, out: Float64Array): Float64Array {
  const count = checkPacked(points, out, 'distancesToCenterInto');
  for (let index = 0, at = 0; index < count; index++, at += 8) {
    out[index] = Math.sqrt(squaredRow(points, at, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5));
  }
  return out;
}

function checkPacked(points: Float64Array, out: Float64Array, where: string): number {
  if (!(points instanceof Float64Array) || points.length % 8 !== 0) {
    throw invalidArgument(
      where,
      'points',
      'must be a Float64Array of 8 numbers per point (a length divisible by 8)',
      points instanceof Float64Array ? points.length : points,
    );
  }
  const count = points.length / 8;
  if (!(out instanceof Float64Array) || out.length < count) {
    throw invalidArgument(
      where,
      'out',
      `must be a Float64Array of at least ${count} numbers (1 per point)`,
      out instanceof Float64Array ? out.length : out,
    );
  }
  return count;
}
