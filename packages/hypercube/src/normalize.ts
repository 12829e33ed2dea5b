import type { ValidationError } from '@rampart/errors';
import { validationError } from './internal/errors.ts';
import {
  COMPLEXITY_SCALE as COMPLEXITY_SCALE_VALUE,
  complexityKernel,
  TIME_SCALE_SECONDS as TIME_SCALE_VALUE,
  timeKernel,
} from './internal/kernels.ts';
import { isNonNegative, NON_NEGATIVE_EXPECTATION } from './internal/metrics-check.ts';

/**
 * The time that maps to 1 on the T axis: one week, in seconds (604,800). {@link normalizeTime}
 * is `min(log10(t + 1) / log10(604800), 1)`, so every time from 604,799 s on is 1.
 */
export const TIME_SCALE_SECONDS: number = TIME_SCALE_VALUE;

/**
 * The complexity scale of the Z axis (1,000). {@link normalizeComplexity} is
 * `min(log10(c + 1) / log10(1000), 1)`, so every complexity from 999 on is 1.
 */
export const COMPLEXITY_SCALE: number = COMPLEXITY_SCALE_VALUE;

/**
 * Maps a duration in seconds onto [0, 1] logarithmically: `min(log10(t + 1) / log10(604800), 1)`.
 * 0 s is 0, one hour about 0.615, a day about 0.856, and one week (604,799 s and more) caps it at 1.
 *
 * Computed as `ln(t + 1) / ln(604800)`, the same quotient, which V8 evaluates about twice as fast;
 * it differs from the `Math.log10` form by at most one unit in the last place, and every path of
 * this package (one object, batches, point sets) uses the same computation, bit for bit.
 *
 * @param seconds - a finite number of seconds, at least 0.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `seconds` is not a finite number of at least 0.
 *
 * @example
 * ```ts
 * import { normalizeTime } from '@rampart/hypercube';
 *
 * normalizeTime(0);       // 0
 * normalizeTime(3_599);   // 0.6151… (log10(3600) / log10(604800))
 * normalizeTime(604_800); // 1
 * ```
 */
export function normalizeTime(seconds: number): number {
  if (!isNonNegative(seconds)) {
    throw nonNegativeError('timeTaken', seconds);
  }
  return timeKernel(seconds);
}

/**
 * Maps a complexity onto [0, 1] logarithmically: `min(log10(c + 1) / log10(1000), 1)`.
 * 0 is 0, 9 is 1/3, 99 is 2/3, and 999 and above are 1.
 *
 * Computed as `ln(c + 1) / ln(1000)`, like {@link normalizeTime}.
 *
 * @param complexity - a finite number, at least 0.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `complexity` is not a finite number of at least 0.
 *
 * @example
 * ```ts
 * import { normalizeComplexity } from '@rampart/hypercube';
 *
 * normalizeComplexity(9);   // 0.3333…
 * normalizeComplexity(999); // 1
 * ```
 */
export function normalizeComplexity(complexity: number): number {
  if (!isNonNegative(complexity)) {
    throw nonNegativeError('userComplexity', complexity);
  }
  return complexityKernel(complexity);
}

function nonNegativeError(path: string, received: unknown): ValidationError {
  const code =
    typeof received !== 'number' || !Number.isFinite(received)
      ? 'invalid_type'
      : received < 0
        ? 'too_small'
        : 'too_big';
  return validationError([{ path, expectation: NON_NEGATIVE_EXPECTATION, received, code }], true);
}
