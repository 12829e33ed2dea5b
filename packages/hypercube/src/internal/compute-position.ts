import type { BlockMetrics } from '../block-metrics.ts';
import { MAX_COORDINATE } from '../dimensions.ts';
import { unknownCategoryError } from './category-errors.ts';
import { UNKNOWN } from './category-lookup.ts';
import { validationError } from './errors.ts';
import { complexityKernel, timeKernel } from './kernels.ts';
import { metricsProblems } from './metrics-check.ts';
import type { PositionContext } from './position-context.ts';

/** {@link computePosition} wrote the point. */
export const VALID = 0;
/** A field is missing, of the wrong type or out of range; nothing was written. */
export const INVALID_FIELDS = 1;
/** The category is not in the table and the context is strict; nothing was written. */
export const UNKNOWN_CATEGORY = 2;

/**
 * Validates one record and writes its 8 coordinates to `out[offset…offset + 7]`. Reads each
 * field once. Returns a status instead of throwing, so each caller can word its own error.
 * Every path of the package (one object, object batches, point sets) goes through here, so they
 * agree bit for bit.
 */
export function computePosition(
  metrics: BlockMetrics,
  context: PositionContext,
  out: Float64Array,
  offset: number,
): number {
  if (typeof metrics !== 'object' || metrics === null) return INVALID_FIELDS;
  let difficulty: unknown;
  let quality: unknown;
  let confidence: unknown;
  let impact: unknown;
  let novelty: unknown;
  let category: unknown;
  let complexity: unknown;
  let time: unknown;
  try {
    difficulty = metrics.problemDifficulty;
    quality = metrics.solutionQuality;
    confidence = metrics.validationConfidence;
    impact = metrics.impactFactor;
    novelty = metrics.noveltyScore;
    category = metrics.category;
    complexity = metrics.userComplexity;
    time = metrics.timeTaken;
  } catch {
    // A throwing getter or Proxy trap: the record is invalid, never a raw error.
    return INVALID_FIELDS;
  }
  // typeof first: comparisons alone would coerce strings ('0.5' >= 0 is true). NaN fails them all.
  if (
    !(
      typeof difficulty === 'number' &&
      difficulty >= 0 &&
      difficulty <= 1 &&
      typeof quality === 'number' &&
      quality >= 0 &&
      quality <= 1 &&
      typeof confidence === 'number' &&
      confidence >= 0 &&
      confidence <= 1 &&
      typeof impact === 'number' &&
      impact >= 0 &&
      impact <= 1 &&
      typeof novelty === 'number' &&
      novelty >= 0 &&
      novelty <= 1 &&
      typeof complexity === 'number' &&
      complexity >= 0 &&
      complexity <= MAX_COORDINATE &&
      typeof time === 'number' &&
      time >= 0 &&
      time <= MAX_COORDINATE &&
      typeof category === 'string'
    )
  ) {
    return INVALID_FIELDS;
  }
  let factor = context.lookup.valueOf(category);
  if (factor === UNKNOWN) {
    if (context.strict) return UNKNOWN_CATEGORY;
    factor = 0.5;
  }
  out[offset] = difficulty * factor;
  out[offset + 1] = quality * confidence;
  out[offset + 2] = complexityKernel(complexity);
  out[offset + 3] = timeKernel(time);
  out[offset + 4] = impact;
  out[offset + 5] = complexity;
  out[offset + 6] = difficulty;
  out[offset + 7] = novelty;
  return VALID;
}

/**
 * The error for a record {@link computePosition} rejected. `prefix` locates the record in a batch
 * (`metrics[3].`); single records use `''` and capture a stack, batches skip it.
 */
export function recordError(
  status: number,
  metrics: unknown,
  context: PositionContext,
  prefix: string,
  captureStack: boolean,
): Error {
  if (status === UNKNOWN_CATEGORY) {
    let category: unknown;
    try {
      category = (metrics as BlockMetrics).category;
    } catch {
      category = undefined;
    }
    // A getter that answered a string once and something else now: report it as a bad field.
    if (typeof category === 'string') {
      return unknownCategoryError(
        `${prefix}category`,
        category,
        context.lookup.names,
        captureStack,
      );
    }
  }
  const whole = prefix === '' ? 'metrics' : prefix.slice(0, -1);
  return validationError(
    metricsProblems(metrics, (field) => `${prefix}${field}`, whole),
    captureStack,
  );
}
