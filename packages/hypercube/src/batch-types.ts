/**
 * A dictionary-encoded category column: row `i` has category `names[codes[i]]`. Each name is
 * encoded once per batch, so rows cost no string work at all.
 */
export interface CategoryCodes {
  /** One index into `names` per row. */
  readonly codes: Uint8Array | Uint16Array | Uint32Array;
  /** The distinct category names. */
  readonly names: readonly string[];
}

/**
 * Block metrics as columns: one typed array per numeric field, all of the same length (the
 * number of rows), and the categories as strings or dictionary codes. The columnar input of
 * {@link positionsInto} and `PointSet.addMetrics`, for millions of rows without an object each.
 */
export interface BlockMetricsColumns {
  /** In [0, 1]. */
  readonly problemDifficulty: Float64Array;
  /** In [0, 1]. */
  readonly solutionQuality: Float64Array;
  /** In [0, 1]. */
  readonly validationConfidence: Float64Array;
  /** In [0, 1]. */
  readonly impactFactor: Float64Array;
  /** In [0, 1]. */
  readonly noveltyScore: Float64Array;
  /** Finite, at least 0. */
  readonly userComplexity: Float64Array;
  /** Seconds, finite, at least 0. */
  readonly timeTaken: Float64Array;
  /** One category name per row, or dictionary codes (fastest). */
  readonly category: readonly string[] | CategoryCodes;
}
