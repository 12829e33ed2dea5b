import { invalidArgument } from '@rampart/errors';
import type { BlockMetrics } from './block-metrics.ts';
import type { CategoryTable } from './category.ts';
import type { Point } from './dimensions.ts';
import { computePosition, recordError, VALID } from './internal/compute-position.ts';
import { positionContext } from './internal/position-context.ts';

/** Options of {@link position}, {@link positionInto}, {@link positionsInto} and point sets. */
export interface PositionOptions {
  /**
   * The category table X is computed with (keys are normalised like names).
   * @default `DEFAULT_CATEGORY_TABLE` — the standard ten categories.
   */
  readonly categoryTable?: CategoryTable;
  /**
   * Reject metrics whose category is not in the table instead of encoding it as 0.5.
   * @default `false` — unknown categories encode as 0.5, as standard.
   */
  readonly strictCategories?: boolean;
}

const scratch = new Float64Array(8);

/**
 * Maps one block's metrics to its point in the 8-dimensional space, in {@link DIMENSIONS} order:
 * X = problemDifficulty × category, Y = solutionQuality × validationConfidence,
 * Z = normalizeComplexity(userComplexity), T = normalizeTime(timeTaken), K = impactFactor,
 * E = userComplexity (raw, by definition: E leaves [0, 1] when userComplexity > 1),
 * C = problemDifficulty, S = noveltyScore.
 *
 * Options are validated once per options object: reuse the same object across calls.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming every bad field: ``problemDifficulty must be a number from 0 to 1 (got 1.2)``.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
 *
 * @example
 * ```ts
 * import { position } from '@rampart/hypercube';
 *
 * const point = position({
 *   problemDifficulty: 0.8,
 *   solutionQuality: 0.9,
 *   validationConfidence: 0.5,
 *   impactFactor: 0.7,
 *   noveltyScore: 0.6,
 *   category: 'Computer Science',
 *   userComplexity: 1,
 *   timeTaken: 3_599,
 * });
 * // [0.48, 0.45, 0.1003…, 0.6151…, 0.7, 1, 0.8, 0.6]
 * ```
 */
export function position(metrics: BlockMetrics, options?: PositionOptions): Point {
  const context = positionContext(options, 'position');
  const status = computePosition(metrics, context, scratch, 0);
  if (status !== VALID) throw recordError(status, metrics, context, '', true);
  return [
    scratch[0] ?? 0,
    scratch[1] ?? 0,
    scratch[2] ?? 0,
    scratch[3] ?? 0,
    scratch[4] ?? 0,
    scratch[5] ?? 0,
    scratch[6] ?? 0,
    scratch[7] ?? 0,
  ];
}

/**
 * Like {@link position}, but writes the 8 coordinates into `out` at `offset` instead of
 * allocating: fill your own packed buffer one record at a time. Nothing is written on error.
 *
 * @param offset - where X goes; the point occupies `out[offset]` to `out[offset + 7]`
 *   (default 0: the start of `out`, for a buffer of one point).
 * @returns `out`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming every bad field, or when `out` has no room at `offset`.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
 *
 * @example
 * ```ts
 * import { positionInto } from '@rampart/hypercube';
 *
 * const packed = new Float64Array(records.length * 8);
 * records.forEach((metrics, index) => positionInto(metrics, packed, index * 8));
 * ```
 */
export function positionInto(
  metrics: BlockMetrics,
  out: Float64Array,
  offset = 0,
  options?: PositionOptions,
): Float64Array {
  const context = positionContext(options, 'positionInto');
  if (!(out instanceof Float64Array)) {
    throw invalidArgument('positionInto', 'out', 'must be a Float64Array', out, {
      captureStack: true,
    });
  }
  if (!(Number.isInteger(offset) && offset >= 0 && offset + 8 <= out.length)) {
    throw invalidArgument(
      'positionInto',
      'offset',
      `must be a non-negative integer leaving room for 8 numbers in out (length ${out.length})`,
      offset,
      { captureStack: true },
    );
  }
  const status = computePosition(metrics, context, out, offset);
  if (status !== VALID) throw recordError(status, metrics, context, '', true);
  return out;
}
