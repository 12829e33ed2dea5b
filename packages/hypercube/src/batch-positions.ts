import { invalidArgument } from '@rampart/errors';
import type { BlockMetricsColumns } from './batch-types.ts';
import type { BlockMetrics } from './block-metrics.ts';
import { positionContext } from './internal/position-context.ts';
import { countRows, writePositions } from './internal/write-positions.ts';
import type { PositionOptions } from './position.ts';

/**
 * Computes the positions of many blocks into one packed `Float64Array` (row `i` at
 * `out[i * 8]` to `out[i * 8 + 7]`), allocating nothing per row. The input is either an array
 * of {@link BlockMetrics} or, fastest, {@link BlockMetricsColumns}: one `Float64Array` per numeric
 * field and the categories as names or dictionary codes. Every row gets exactly the bits
 * {@link position} would return for it.
 *
 * @param out - receives the points; needs at least `rows × 8` numbers.
 * @returns `out`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} (without a stack: batches are hot paths) locating the first bad row
 *   and naming every bad field of it, ``metrics.problemDifficulty[3] must be a number from 0 to 1
 *   (got 1.2)``, or naming a malformed column or a too-small `out`. Rows before the bad one have
 *   been written.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
 *
 * @example
 * ```ts
 * import { positionsInto } from '@rampart/hypercube';
 *
 * const rows = 1_000_000;
 * const columns = {
 *   problemDifficulty: new Float64Array(rows), // … fill from your store
 *   solutionQuality: new Float64Array(rows),
 *   validationConfidence: new Float64Array(rows),
 *   impactFactor: new Float64Array(rows),
 *   noveltyScore: new Float64Array(rows),
 *   userComplexity: new Float64Array(rows),
 *   timeTaken: new Float64Array(rows),
 *   category: { codes: new Uint8Array(rows), names: ['physics', 'biology'] },
 * };
 * const points = positionsInto(columns, new Float64Array(rows * 8));
 * ```
 */
export function positionsInto(
  metrics: BlockMetricsColumns | readonly BlockMetrics[],
  out: Float64Array,
  options?: PositionOptions,
): Float64Array {
  const context = positionContext(options, 'positionsInto');
  const rows = countRows(metrics, 'positionsInto');
  if (!(out instanceof Float64Array) || out.length < rows * 8) {
    throw invalidArgument(
      'positionsInto',
      'out',
      `must be a Float64Array of at least ${rows * 8} numbers (8 per row)`,
      out instanceof Float64Array ? out.length : out,
    );
  }
  writePositions(metrics, rows, context, out, 0, 'positionsInto');
  return out;
}
