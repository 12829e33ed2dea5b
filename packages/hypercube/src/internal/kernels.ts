/**
 * The scalar formulas shared by every path (one object, batches, point sets), so that all of
 * them produce the same bits for the same input. Inputs are already validated here.
 */
import { logarithm } from './logarithm.ts';

/** `log10(t + 1) / log10(TIME_SCALE)` reaches 1 at `t = TIME_SCALE - 1`. */
export const TIME_SCALE_SECONDS = 604_800;
/** `log10(c + 1) / log10(COMPLEXITY_SCALE)` reaches 1 at `c = COMPLEXITY_SCALE - 1`. */
export const COMPLEXITY_SCALE = 1_000;

// log10(a) / log10(b) = ln(a) / ln(b) in real arithmetic. Numerator and denominator come from the
// same logarithm, so the quotient is exactly 1 at the cap.
const LN_TIME_SCALE = logarithm(TIME_SCALE_SECONDS);
const LN_COMPLEXITY_SCALE = logarithm(COMPLEXITY_SCALE);
const TIME_CAP = TIME_SCALE_SECONDS - 1;
const COMPLEXITY_CAP = COMPLEXITY_SCALE - 1;

/** `min(log10(seconds + 1) / log10(604800), 1)` for a finite `seconds >= 0`. */
export function timeKernel(seconds: number): number {
  // Clamping the input (instead of branching on it) keeps mixed data free of mispredictions;
  // the outer min guards against the last-bit wobble of any logarithm just below the cap.
  return Math.min(logarithm(Math.min(seconds, TIME_CAP) + 1) / LN_TIME_SCALE, 1);
}

/** `min(log10(complexity + 1) / log10(1000), 1)` for a finite `complexity >= 0`. */
export function complexityKernel(complexity: number): number {
  return Math.min(logarithm(Math.min(complexity, COMPLEXITY_CAP) + 1) / LN_COMPLEXITY_SCALE, 1);
}
