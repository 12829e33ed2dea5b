import { optionMessages } from '@rampart/errors';
import { MAX_COORDINATE } from '../dimensions.ts';
import type { Problem } from './errors.ts';

/** The score fields, each in [0, 1]. */
export const UNIT_FIELDS = [
  'problemDifficulty',
  'solutionQuality',
  'validationConfidence',
  'impactFactor',
  'noveltyScore',
] as const;

/** The fields that are from 0 to {@link MAX_COORDINATE}. */
export const NON_NEGATIVE_FIELDS = ['userComplexity', 'timeTaken'] as const;

/** `typeof value === 'number'` and in [0, 1] (NaN fails). */
export function isUnit(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= 1;
}

/** `typeof value === 'number'`, from 0 to {@link MAX_COORDINATE}. */
export function isNonNegative(value: unknown): boolean {
  return typeof value === 'number' && value >= 0 && value <= MAX_COORDINATE;
}

/** The one wording of the raw fields' rule. */
export const NON_NEGATIVE_EXPECTATION = 'must be a non-negative number up to 1e150';

/**
 * Every problem of one metrics record, in field order; empty when it is valid. `pathOf` names a
 * field as the caller's input does (`problemDifficulty`, `metrics[3].problemDifficulty`,
 * `problemDifficulty[3]`). Only the failure path calls this, so it favours clarity over speed.
 */
export function metricsProblems(
  metrics: unknown,
  pathOf: (field: string) => string,
  whole = '',
): Problem[] {
  if (typeof metrics !== 'object' || metrics === null) {
    return [
      { path: whole, expectation: 'must be an object', received: metrics, code: 'invalid_type' },
    ];
  }
  const record = metrics as Record<string, unknown>;
  const problems: Problem[] = [];
  for (const field of UNIT_FIELDS) {
    const value = read(record, field);
    if (!isUnit(value)) {
      problems.push({
        path: pathOf(field),
        expectation: optionMessages.ratio,
        received: value,
        code: code(value, 1),
      });
    }
  }
  const category = read(record, 'category');
  if (typeof category !== 'string') {
    problems.push({
      path: pathOf('category'),
      expectation: 'must be a string',
      received: category,
      code: 'invalid_type',
    });
  }
  for (const field of NON_NEGATIVE_FIELDS) {
    const value = read(record, field);
    if (!isNonNegative(value)) {
      problems.push({
        path: pathOf(field),
        expectation: NON_NEGATIVE_EXPECTATION,
        received: value,
        code: code(value, MAX_COORDINATE),
      });
    }
  }
  return problems;
}

function read(record: Record<string, unknown>, field: string): unknown {
  try {
    return record[field];
  } catch {
    return undefined;
  }
}

function code(value: unknown, maximum: number): string {
  if (typeof value !== 'number' || Number.isNaN(value) || !Number.isFinite(value)) {
    return 'invalid_type';
  }
  return value < 0 ? 'too_small' : value > maximum ? 'too_big' : 'custom';
}
