import { describeValue, ValidationError, type ValidationIssue } from '@rampart/errors';

/** One problem with a value: where, what was expected, and the zod-compatible issue code. */
export interface Problem {
  readonly path: string;
  readonly expectation: string;
  readonly received: unknown;
  readonly code: string;
}

/**
 * Builds a {@link ValidationError} whose message lists each problem as
 * `<path> <expectation> (got <value>)`, e.g. `problemDifficulty must be a number from 0 to 1 (got 1.2)`.
 * Missing values read `<path> is required`.
 */
export function validationError(
  problems: readonly Problem[],
  captureStack: boolean,
): ValidationError {
  const issues: ValidationIssue[] = problems.map((problem) => ({
    path: problem.path,
    message:
      problem.received === undefined && problem.code === 'invalid_type'
        ? 'is required'
        : `${problem.expectation} (got ${describeValue(problem.received)})`,
    code: problem.code,
  }));
  const message = issues
    .map((issue) => (issue.path === '' ? issue.message : `${issue.path} ${issue.message}`))
    .join('; ');
  return new ValidationError(message, { issues, captureStack });
}
