/**
 * 8-D metrics math: block positions in the unit hypercube, points from SHA-256 hashes,
 * hyper-distance to the centre, distances, and exact nearest neighbours over millions of points.
 *
 * @example
 * ```ts
 * import { meetsHyperDistance, position } from '@rampart/hypercube';
 *
 * const point = position({
 *   problemDifficulty: 0.8, solutionQuality: 0.9, validationConfidence: 0.5, impactFactor: 0.7,
 *   noveltyScore: 0.6, category: 'Computer Science', userComplexity: 1, timeTaken: 3_599,
 * });
 * meetsHyperDistance(point, 2); // true
 * ```
 *
 * @packageDocumentation
 * @module @rampart/hypercube
 */
export { distancesInto, distancesToCenterInto } from './batch-geometry.ts';
export { positionsInto } from './batch-positions.ts';
export type { BlockMetricsColumns, CategoryCodes } from './batch-types.ts';
export type { BlockMetrics } from './block-metrics.ts';
export { blockMetricsSchema, parseBlockMetrics } from './block-metrics.ts';
export type { CategoryTable, EncodeCategoryOptions } from './category.ts';
export {
  DEFAULT_CATEGORY_TABLE,
  encodeCategory,
  normalizeCategoryName,
  UNKNOWN_CATEGORY_VALUE,
} from './category.ts';
export type { Dimension, Point, PointLike } from './dimensions.ts';
export { DIMENSION_COUNT, DIMENSION_INDEX, DIMENSIONS, MAX_COORDINATE } from './dimensions.ts';
export {
  centroid,
  chebyshev,
  clampToUnit,
  cosineSimilarity,
  euclidean,
  isUnitPoint,
  manhattan,
} from './geometry.ts';
export { hashesToPointsInto, hashToPoint } from './hash-point.ts';
export {
  distanceToCenter,
  hyperDistanceTarget,
  MAX_CENTER_DISTANCE,
  meetsHyperDistance,
} from './hyper-distance.ts';
export type { Neighbor } from './neighbor.ts';
export {
  COMPLEXITY_SCALE,
  normalizeComplexity,
  normalizeTime,
  TIME_SCALE_SECONDS,
} from './normalize.ts';
export type { PointSet, PointSetOptions } from './point-set.ts';
export { createPointSet } from './point-set.ts';
export type { PositionOptions } from './position.ts';
export { position, positionInto } from './position.ts';
