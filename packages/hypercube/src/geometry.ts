import { invalidArgument } from '@rampart/errors';
import type { Point, PointLike } from './dimensions.ts';
import { squaredEuclidean } from './internal/distance.ts';
import { meanOfPacked, meanOfPoints } from './internal/mean.ts';
import { COORDINATE_EXPECTATION, checkPoint, isCoordinate } from './internal/point-check.ts';

/**
 * The Euclidean (straight-line) distance between two points: `√Σ (aᵢ − bᵢ)²`.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `a` or `b` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { euclidean } from '@rampart/hypercube';
 *
 * euclidean([0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0]); // 2
 * ```
 */
export function euclidean(a: PointLike, b: PointLike): number {
  checkPoint(a, 'euclidean', 'a');
  checkPoint(b, 'euclidean', 'b');
  return Math.sqrt(squaredEuclidean(a, b));
}

/**
 * The Manhattan (city-block) distance between two points: `Σ |aᵢ − bᵢ|`.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `a` or `b` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { manhattan } from '@rampart/hypercube';
 *
 * manhattan([0, 0, 0, 0, 0, 0, 0, 0], [1, 1, 1, 1, 0, 0, 0, 0]); // 4
 * ```
 */
export function manhattan(a: PointLike, b: PointLike): number {
  checkPoint(a, 'manhattan', 'a');
  checkPoint(b, 'manhattan', 'b');
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    sum += Math.abs((a[index] as number) - (b[index] as number));
  }
  return sum;
}

/**
 * The Chebyshev distance between two points: the largest `|aᵢ − bᵢ|` over the dimensions.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `a` or `b` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { chebyshev } from '@rampart/hypercube';
 *
 * chebyshev([0, 0, 0, 0, 0, 0, 0, 0], [0.2, 0.9, 0, 0, 0, 0, 0, 0]); // 0.9
 * ```
 */
export function chebyshev(a: PointLike, b: PointLike): number {
  checkPoint(a, 'chebyshev', 'a');
  checkPoint(b, 'chebyshev', 'b');
  let largest = 0;
  for (let index = 0; index < 8; index++) {
    const delta = Math.abs((a[index] as number) - (b[index] as number));
    if (delta > largest) largest = delta;
  }
  return largest;
}

/**
 * The cosine of the angle between two points seen as vectors from the origin:
 * `a · b / (|a| |b|)`, in [−1, 1] (in [0, 1] for points of the unit hypercube). The angle to a
 * zero vector is undefined: the result is then 0, as in most numeric libraries. Vectors of any
 * accepted magnitude, however tiny, are compared exactly: parallel vectors give 1.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `a` or `b` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { cosineSimilarity } from '@rampart/hypercube';
 *
 * cosineSimilarity([1, 0, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0]); // 1
 * cosineSimilarity([1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0]); // 0
 * ```
 */
export function cosineSimilarity(a: PointLike, b: PointLike): number {
  checkPoint(a, 'cosineSimilarity', 'a');
  checkPoint(b, 'cosineSimilarity', 'b');
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < 8; index++) {
    const x = a[index] as number;
    const y = b[index] as number;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  // Squares of tiny coordinates underflow (to 0 below about 1e-162): redo such vectors scaled.
  if (normA < TINY_SQUARED_NORM || normB < TINY_SQUARED_NORM) return scaledCosine(a, b);
  // One square root of the product rounds less than two (and gives exactly ±1 for [1, 1] and
  // [-1, -1]); the separate roots are the fallback when the product leaves the double range.
  const product = normA * normB;
  const magnitude =
    product > 0 && product < Number.POSITIVE_INFINITY
      ? Math.sqrt(product)
      : Math.sqrt(normA) * Math.sqrt(normB);
  const cosine = dot / magnitude;
  // Rounding can overshoot ±1 by an ulp for parallel vectors; the cosine never does.
  return Math.min(Math.max(cosine, -1), 1);
}

/** Below this squared norm, squares may have lost digits to underflow. */
const TINY_SQUARED_NORM = 1e-280;

/** The cosine of vectors divided by their largest magnitudes first: no underflow, no overflow. */
function scaledCosine(a: PointLike, b: PointLike): number {
  const scaleA = largestMagnitude(a);
  const scaleB = largestMagnitude(b);
  if (scaleA === 0 || scaleB === 0) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let index = 0; index < 8; index++) {
    const x = (a[index] as number) / scaleA;
    const y = (b[index] as number) / scaleB;
    dot += x * y;
    normA += x * x;
    normB += y * y;
  }
  return Math.min(Math.max(dot / Math.sqrt(normA * normB), -1), 1);
}

function largestMagnitude(point: PointLike): number {
  let largest = 0;
  for (let index = 0; index < 8; index++) {
    const magnitude = Math.abs(point[index] as number);
    if (magnitude > largest) largest = magnitude;
  }
  return largest;
}

/**
 * Whether `point` is a point of the unit hypercube: 8 numbers, each in [0, 1]. Never throws:
 * anything else (wrong length, NaN, not an array) is simply `false`.
 *
 * @example
 * ```ts
 * import { isUnitPoint, position } from '@rampart/hypercube';
 *
 * isUnitPoint(position(metrics)); // false when userComplexity > 1 (E is raw)
 * ```
 */
export function isUnitPoint(point: unknown): boolean {
  if (typeof point !== 'object' || point === null) return false;
  const candidate = point as Partial<ArrayLike<unknown>>;
  if (candidate.length !== 8) return false;
  for (let index = 0; index < 8; index++) {
    const coordinate = candidate[index];
    if (!(typeof coordinate === 'number' && coordinate >= 0 && coordinate <= 1)) return false;
  }
  return true;
}

/**
 * Clamps every coordinate into [0, 1], returning a new point (E of a block with
 * `userComplexity > 1` becomes 1, for instance).
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `point` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { clampToUnit } from '@rampart/hypercube';
 *
 * clampToUnit([0.5, 1.2, -0.1, 0, 1, 7, 0.3, 0.9]); // [0.5, 1, 0, 0, 1, 1, 0.3, 0.9]
 * ```
 */
export function clampToUnit(point: PointLike): Point {
  checkPoint(point, 'clampToUnit', 'point');
  const clamped: Point = [0, 0, 0, 0, 0, 0, 0, 0];
  for (let index = 0; index < 8; index++) {
    const coordinate = point[index] as number;
    clamped[index] = Math.min(Math.max(coordinate, 0), 1);
  }
  return clamped;
}

/**
 * The centroid (per-dimension mean) of some points: an array of points, or a packed
 * `Float64Array` of 8 numbers per point. Sums are compensated (Neumaier), so the mean of millions
 * of points stays accurate to the last digits.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when there are no points, a point is not 8 finite numbers, or a
 *   packed array's length is not a multiple of 8.
 *
 * @example
 * ```ts
 * import { centroid } from '@rampart/hypercube';
 *
 * centroid([
 *   [0, 0, 0, 0, 0, 0, 0, 0],
 *   [1, 1, 1, 1, 1, 1, 1, 1],
 * ]); // [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]
 * ```
 */
export function centroid(points: readonly PointLike[] | Float64Array): Point {
  if (points instanceof Float64Array) {
    if (points.length === 0 || points.length % 8 !== 0) {
      throw invalidArgument(
        'centroid',
        'points',
        'must hold at least one point of 8 numbers (a length divisible by 8)',
        points.length,
        { captureStack: true },
      );
    }
    const bad = points.findIndex((coordinate) => !isCoordinate(coordinate));
    if (bad >= 0) {
      throw invalidArgument('centroid', `points[${bad}]`, COORDINATE_EXPECTATION, points[bad], {
        captureStack: true,
      });
    }
    return meanOfPacked(points, points.length / 8);
  }
  if (!Array.isArray(points) || points.length === 0) {
    throw invalidArgument('centroid', 'points', 'must be a non-empty array of points', points, {
      captureStack: true,
    });
  }
  points.forEach((point, index) => {
    checkPoint(point, 'centroid', `points[${index}]`);
  });
  return meanOfPoints(points);
}
