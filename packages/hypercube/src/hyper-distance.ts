import { invalidArgument } from '@rampart/errors';
import type { PointLike } from './dimensions.ts';
import { squaredDistanceToCenter } from './internal/distance.ts';
import { checkPoint } from './internal/point-check.ts';

/**
 * The largest distance from the centre (0.5, …, 0.5) of a point of the unit hypercube: a corner
 * is √(8 × 0.5²) = √2 away. {@link hyperDistanceTarget} starts there at difficulty 0.
 */
export const MAX_CENTER_DISTANCE: number = Math.SQRT2;

/**
 * The Euclidean distance from `point` to the centre of the unit hypercube, (0.5, …, 0.5).
 * At most {@link MAX_CENTER_DISTANCE} for a unit point (E can leave [0, 1], and so can this).
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `point` is not 8 finite numbers within {@link MAX_COORDINATE}.
 *
 * @example
 * ```ts
 * import { distanceToCenter } from '@rampart/hypercube';
 *
 * distanceToCenter([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]); // 0
 * distanceToCenter([1, 1, 1, 1, 1, 1, 1, 1]);                 // 1.4142… (√2)
 * ```
 */
export function distanceToCenter(point: PointLike): number {
  checkPoint(point, 'distanceToCenter', 'point');
  return Math.sqrt(squaredDistanceToCenter(point));
}

/**
 * The hyper-distance a block must beat at a difficulty: `√2 × 0.5^(difficulty / 4)`. Every 4
 * difficulty levels halve it: √2 at 0, 1 at 2, √2 / 2 at 4.
 *
 * @param difficulty - a finite number, at least 0 (levels need not be integers).
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `difficulty` is not a finite number of at least 0.
 *
 * @example
 * ```ts
 * import { hyperDistanceTarget } from '@rampart/hypercube';
 *
 * hyperDistanceTarget(0); // 1.4142…
 * hyperDistanceTarget(4); // 0.7071…
 * ```
 */
export function hyperDistanceTarget(difficulty: number): number {
  checkDifficulty(difficulty, 'hyperDistanceTarget');
  return MAX_CENTER_DISTANCE * 0.5 ** (difficulty / 4);
}

/**
 * Whether a point is close enough to the centre at a difficulty:
 * `distanceToCenter(point) < hyperDistanceTarget(difficulty)` (strictly).
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `point` is not 8 finite numbers or `difficulty` is not a finite
 *   number of at least 0.
 *
 * @example
 * ```ts
 * import { hashToPoint, meetsHyperDistance } from '@rampart/hypercube';
 *
 * if (meetsHyperDistance(hashToPoint(hash), 4)) accept(block);
 * ```
 */
export function meetsHyperDistance(point: PointLike, difficulty: number): boolean {
  checkPoint(point, 'meetsHyperDistance', 'point');
  checkDifficulty(difficulty, 'meetsHyperDistance');
  return Math.sqrt(squaredDistanceToCenter(point)) < MAX_CENTER_DISTANCE * 0.5 ** (difficulty / 4);
}

function checkDifficulty(difficulty: number, where: string): void {
  if (
    !(typeof difficulty === 'number' && difficulty >= 0 && difficulty < Number.POSITIVE_INFINITY)
  ) {
    throw invalidArgument(
      where,
      'difficulty',
      'must be a finite number of at least 0',
      difficulty,
      {
        captureStack: true,
      },
    );
  }
}
