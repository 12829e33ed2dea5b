/**
 * The eight dimensions of a block's position, in coordinate order: X (difficulty × category),
 * Y (solution quality × validation confidence), Z (normalised complexity), T (normalised time),
 * K (impact), E (raw complexity), C (difficulty) and S (novelty).
 *
 * @example
 * ```ts
 * import { DIMENSIONS, position } from '@rampart/hypercube';
 *
 * const point = position(metrics);
 * const named = Object.fromEntries(DIMENSIONS.map((dimension, index) => [dimension, point[index]]));
 * ```
 */
export const DIMENSIONS: readonly ['X', 'Y', 'Z', 'T', 'K', 'E', 'C', 'S'] = Object.freeze([
  'X',
  'Y',
  'Z',
  'T',
  'K',
  'E',
  'C',
  'S',
] as const);

/** One of the eight {@link DIMENSIONS}. */
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * The index of each dimension in a {@link Point}: `point[DIMENSION_INDEX.T]` is the normalised time.
 *
 * @example
 * ```ts
 * import { DIMENSION_INDEX, position } from '@rampart/hypercube';
 *
 * const time = position(metrics)[DIMENSION_INDEX.T];
 * ```
 */
export const DIMENSION_INDEX: Readonly<Record<Dimension, number>> = Object.freeze({
  X: 0,
  Y: 1,
  Z: 2,
  T: 3,
  K: 4,
  E: 5,
  C: 6,
  S: 7,
});

/**
 * The largest magnitude accepted for a coordinate, a raw metric (`userComplexity`,
 * `timeTaken`) or a packed row: 1e150.
 *
 * @remarks
 * Finite in, finite out: within this bound every distance, similarity and centroid of 8
 * coordinates is a finite number (a squared difference stays below 1e301), so results never
 * become `Infinity` or `NaN` and nearest-neighbour order stays exact. Larger values are refused
 * with a `ValidationError` naming the field or coordinate.
 */
export const MAX_COORDINATE = 1e150;

/** Number of coordinates of every point: 8. Packed buffers hold point `i` at `[i * 8, i * 8 + 8)`. */
export const DIMENSION_COUNT = 8;

/**
 * A point of the 8-dimensional space, as returned by {@link position}, {@link hashToPoint},
 * {@link centroid} and the point set: a fresh array the caller owns, in {@link DIMENSIONS} order.
 */
export type Point = [number, number, number, number, number, number, number, number];

/**
 * Any point accepted as input: a {@link Point}, a plain array of 8 numbers or a typed array view
 * (`packed.subarray(i * 8, i * 8 + 8)`). Coordinates must be finite numbers.
 */
export type PointLike = ArrayLike<number>;
