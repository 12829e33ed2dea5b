import { optionMessages } from '@rampart/errors';
import * as z from 'zod';
import { MAX_COORDINATE } from './dimensions.ts';
import { validationError } from './internal/errors.ts';
import { metricsProblems, NON_NEGATIVE_EXPECTATION } from './internal/metrics-check.ts';

/**
 * The metrics of one block, as the seed defines them. The five scores are in [0, 1];
 * `userComplexity` and `timeTaken` (seconds) are from 0 to {@link MAX_COORDINATE}. Other properties are
 * ignored.
 */
export interface BlockMetrics {
  /** How hard the problem was, in [0, 1]. Feeds X (× category) and C. */
  readonly problemDifficulty: number;
  /** How good the solution is, in [0, 1]. Feeds Y (× validation confidence). */
  readonly solutionQuality: number;
  /** How sure the validation is, in [0, 1]. Feeds Y. */
  readonly validationConfidence: number;
  /** The block's impact, in [0, 1]. Is K. */
  readonly impactFactor: number;
  /** How novel the block is, in [0, 1]. Is S. */
  readonly noveltyScore: number;
  /** The field of the problem, encoded by {@link encodeCategory} (`'Computer Science'`). */
  readonly category: string;
  /** The user's complexity, from 0 to {@link MAX_COORDINATE}. Z is its normalised form, E the raw value. */
  readonly userComplexity: number;
  /** Seconds taken, from 0 to {@link MAX_COORDINATE}. T is its normalised form (one week caps it). */
  readonly timeTaken: number;
}

const UNIT = optionMessages.ratio;
const NON_NEGATIVE = NON_NEGATIVE_EXPECTATION;

const unit = (): z.ZodNumber =>
  z.number({ error: UNIT }).min(0, { error: UNIT }).max(1, { error: UNIT });
const nonNegative = (): z.ZodNumber =>
  z.number({ error: NON_NEGATIVE }).min(0, { error: NON_NEGATIVE }).max(MAX_COORDINATE, {
    error: NON_NEGATIVE,
  });

/**
 * The zod schema of {@link BlockMetrics}, for validating metrics at your boundaries (request
 * bodies, queue messages) or composing into your own schemas. It accepts exactly what
 * {@link position} accepts (NaN, infinities and wrong types are rejected) and strips other keys.
 * Its messages match: `problemDifficulty` fails with `must be a number from 0 to 1`.
 *
 * @example
 * ```ts
 * import { fromZodError } from '@rampart/errors';
 * import { blockMetricsSchema } from '@rampart/hypercube';
 *
 * const parsed = blockMetricsSchema.safeParse(body);
 * if (!parsed.success) throw fromZodError(parsed.error, { input: body });
 * ```
 */
export const blockMetricsSchema: z.ZodObject<
  {
    problemDifficulty: z.ZodNumber;
    solutionQuality: z.ZodNumber;
    validationConfidence: z.ZodNumber;
    impactFactor: z.ZodNumber;
    noveltyScore: z.ZodNumber;
    category: z.ZodString;
    userComplexity: z.ZodNumber;
    timeTaken: z.ZodNumber;
  },
  z.core.$strip
> = z.object({
  problemDifficulty: unit(),
  solutionQuality: unit(),
  validationConfidence: unit(),
  impactFactor: unit(),
  noveltyScore: unit(),
  category: z.string({ error: 'must be a string' }),
  userComplexity: nonNegative(),
  timeTaken: nonNegative(),
});

/**
 * Validates one block's metrics and returns a copy holding only the eight fields, without the
 * cost of a schema library. Every bad field is named, in the seed's words:
 * ``problemDifficulty must be a number from 0 to 1 (got 1.2)``.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming every bad field (its `issues` list them one by one).
 *
 * @example
 * ```ts
 * import { parseBlockMetrics } from '@rampart/hypercube';
 *
 * const metrics = parseBlockMetrics(JSON.parse(body)); // typed BlockMetrics, or a ValidationError
 * ```
 */
export function parseBlockMetrics(input: unknown): BlockMetrics {
  const problems = metricsProblems(input, fieldPath);
  if (problems.length > 0) throw validationError(problems, true);
  const metrics = input as BlockMetrics;
  return {
    problemDifficulty: metrics.problemDifficulty,
    solutionQuality: metrics.solutionQuality,
    validationConfidence: metrics.validationConfidence,
    impactFactor: metrics.impactFactor,
    noveltyScore: metrics.noveltyScore,
    category: metrics.category,
    userComplexity: metrics.userComplexity,
    timeTaken: metrics.timeTaken,
  };
}

function fieldPath(field: string): string {
  return field;
}
