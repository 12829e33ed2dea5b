import type { ResolvedLimit } from '../../limits.ts';

/** Numeric algorithm codes, also written into the Redis script and its stored values. */
export const GCRA = 0;
export const FIXED_WINDOW = 1;
export const SLIDING_WINDOW = 2;
export const TOKEN_BUCKET = 3;

/** A resolved limit with its algorithm code, as the evaluator uses it. */
export interface CompiledLimit extends ResolvedLimit {
  readonly code: number;
}

/** `⌈numerator / denominator⌉` for non-negative integers, exactly as the Redis script computes it. */
export function ceilDivide(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  return quotient * denominator < numerator ? quotient + 1 : quotient;
}
