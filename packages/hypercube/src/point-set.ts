import { InternalError, invalidArgument, parseOptions, ValidationError } from '@rampart/errors';
import * as z from 'zod';
import type { BlockMetricsColumns } from './batch-types.ts';
import type { BlockMetrics } from './block-metrics.ts';
import type { CategoryTable } from './category.ts';
import type { Point, PointLike } from './dimensions.ts';
import { meanOfPacked } from './internal/mean.ts';
import { searchNearest, searchRadius } from './internal/neighbor-search.ts';
import { COORDINATE_EXPECTATION, checkPoint, isCoordinate } from './internal/point-check.ts';
import { type PositionContext, positionContext } from './internal/position-context.ts';
import { countRows, writePositions } from './internal/write-positions.ts';
import type { Neighbor } from './neighbor.ts';
import type { PositionOptions } from './position.ts';

/** Options of {@link createPointSet}. */
export interface PointSetOptions extends PositionOptions {
  /**
   * Points to reserve room for up front; the set grows by doubling past it.
   * @default `1024` — 64 KiB, small enough to be free and large enough that small sets never grow.
   */
  readonly initialCapacity?: number;
}

/**
 * Many points in one growable `Float64Array` of packed rows (point `i` at `[i * 8, i * 8 + 8)`),
 * with exact nearest-neighbour and radius searches. Points are numbered from 0 in the order they
 * were added; that number is their `index` in search results and ties are broken by it.
 */
export interface PointSet {
  /** How many points the set holds. */
  readonly size: number;
  /**
   * Adds one point (8 finite numbers, copied) and returns its index.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `point` is not 8 finite numbers within {@link MAX_COORDINATE}.
   */
  add(point: PointLike): number;
  /**
   * Adds packed rows (8 numbers per point, copied) and returns the index of the first one.
   * All or nothing: on error the set is unchanged.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (without a stack) naming the first non-finite number, or when the
   *   length is not a multiple of 8.
   */
  addRows(rows: Float64Array): number;
  /**
   * Computes the positions of many blocks straight into the set (as {@link positionsInto} does,
   * with the set's category options) and returns the index of the first one. All or nothing: on
   * error the set is unchanged.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (without a stack) locating the first bad row.
   */
  addMetrics(metrics: BlockMetricsColumns | readonly BlockMetrics[]): number;
  /**
   * A copy of the point at `index`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `index` is not an integer in `[0, size)`.
   */
  get(index: number): Point;
  /**
   * The `k` points nearest to `query` by Euclidean distance, nearest first; among equal
   * distances the earlier-added point comes first. Exact (every point is considered), in
   * O(n log k) with a bounded heap. Returns fewer than `k` when the set is smaller.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `query` is not 8 finite numbers or `k` not a positive integer.
   */
  nearest(query: PointLike, k: number): Neighbor[];
  /**
   * Every point whose distance to `query` is at most `radius`, nearest first (ties by index).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `query` is not 8 finite numbers or `radius` is negative or NaN.
   */
  withinRadius(query: PointLike, radius: number): Neighbor[];
  /**
   * The per-dimension mean of all points (compensated sums).
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when the set is empty.
   */
  centroid(): Point;
  /**
   * A view of the packed rows, `size × 8` numbers, for the batch functions
   * ({@link distancesInto}, {@link distancesToCenterInto}). It is the set's own memory, valid until
   * the next add or clear: read it, never write it.
   */
  rows(): Float64Array;
  /** Removes every point, keeping the memory for reuse. */
  clear(): void;
}

const DEFAULT_INITIAL_CAPACITY = 1_024;

const optionsSchema = z.strictObject(
  {
    initialCapacity: z
      .int({ error: 'must be a positive integer' })
      .positive({ error: 'must be a positive integer' })
      .max(2 ** 28, { error: 'must be at most 268435456 (2^28 points)' })
      .optional(),
    categoryTable: z.unknown().optional(),
    strictCategories: z.boolean({ error: 'must be a boolean' }).optional(),
  },
  { error: 'must be an object' },
);

/**
 * Creates an empty {@link PointSet}: points stored as packed rows in one growable
 * `Float64Array` (measured faster than one array per dimension for these searches; see the
 * guide), exact `nearest`, `withinRadius` and `centroid`.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
 *
 * @example
 * ```ts
 * import { createPointSet } from '@rampart/hypercube';
 *
 * const set = createPointSet();
 * set.addMetrics(blocks); // BlockMetrics[] or BlockMetricsColumns
 * const similar = set.nearest(set.get(0), 10); // [{ index: 0, distance: 0 }, …]
 * ```
 */
export function createPointSet(options: PointSetOptions = {}): PointSet {
  const parsed = parseOptions(optionsSchema, options, 'createPointSet');
  const positionOptions: PositionOptions = {
    ...(parsed.categoryTable === undefined
      ? {}
      : { categoryTable: parsed.categoryTable as CategoryTable }),
    ...(parsed.strictCategories === undefined ? {} : { strictCategories: parsed.strictCategories }),
  };
  const context: PositionContext = positionContext(positionOptions, 'createPointSet');
  let buffer: Float64Array = new Float64Array(
    (parsed.initialCapacity ?? DEFAULT_INITIAL_CAPACITY) * 8,
  );
  let size = 0;

  /** Makes room for `extra` more points, doubling the buffer as often as needed. */
  const reserve = (extra: number): void => {
    const needed = (size + extra) * 8;
    if (needed <= buffer.length) return;
    let capacity = buffer.length;
    while (capacity < needed) capacity *= 2;
    let grown: Float64Array;
    try {
      grown = new Float64Array(capacity);
    } catch (cause) {
      throw new InternalError(`PointSet could not grow to ${capacity / 8} points`, {
        cause,
        context: { size, requested: size + extra },
      });
    }
    grown.set(buffer.subarray(0, size * 8));
    buffer = grown;
  };

  const checkQuery = (query: PointLike, where: string): void => checkPoint(query, where, 'query');

  return {
    get size() {
      return size;
    },
    add(point) {
      checkPoint(point, 'add', 'point');
      reserve(1);
      const at = size * 8;
      for (let dimension = 0; dimension < 8; dimension++) {
        buffer[at + dimension] = point[dimension] as number;
      }
      return size++;
    },
    addRows(rows) {
      if (!(rows instanceof Float64Array) || rows.length % 8 !== 0) {
        throw invalidArgument(
          'addRows',
          'rows',
          'must be a Float64Array of 8 numbers per point (a length divisible by 8)',
          rows instanceof Float64Array ? rows.length : rows,
        );
      }
      for (let at = 0; at < rows.length; at++) {
        const value = rows[at] as number;
        if (!isCoordinate(value)) {
          throw invalidArgument('addRows', `rows[${at}]`, COORDINATE_EXPECTATION, value);
        }
      }
      reserve(rows.length / 8);
      buffer.set(rows, size * 8);
      const first = size;
      size += rows.length / 8;
      return first;
    },
    addMetrics(metrics) {
      const count = countRows(metrics, 'addMetrics');
      reserve(count);
      // Written past `size`; committed only when every row is valid.
      writePositions(metrics, count, context, buffer, size * 8, 'addMetrics');
      const first = size;
      size += count;
      return first;
    },
    get(index) {
      if (!(Number.isInteger(index) && index >= 0 && index < size)) {
        throw invalidArgument('get', 'index', `must be an integer from 0 to ${size - 1}`, index, {
          captureStack: true,
        });
      }
      const at = index * 8;
      return Array.from(buffer.subarray(at, at + 8)) as Point;
    },
    nearest(query, k) {
      checkQuery(query, 'nearest');
      if (!(Number.isInteger(k) && k > 0)) {
        throw invalidArgument('nearest', 'k', 'must be a positive integer', k, {
          captureStack: true,
        });
      }
      return searchNearest(buffer, size, query, k);
    },
    withinRadius(query, radius) {
      checkQuery(query, 'withinRadius');
      if (!(typeof radius === 'number' && radius >= 0)) {
        throw invalidArgument('withinRadius', 'radius', 'must be a number of at least 0', radius, {
          captureStack: true,
        });
      }
      return searchRadius(buffer, size, query, radius);
    },
    centroid() {
      if (size === 0) {
        throw new ValidationError('centroid: the point set is empty (add points first)', {
          issues: [{ path: '', message: 'the point set is empty', code: 'too_small' }],
        });
      }
      return meanOfPacked(buffer, size);
    },
    rows() {
      return buffer.subarray(0, size * 8);
    },
    clear() {
      size = 0;
    },
  };
}
