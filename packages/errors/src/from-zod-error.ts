import type * as z from 'zod';
import { ValidationError } from './built-in-errors.ts';
import { summarizeIssues, toValidationIssues } from './internal/format-issue.ts';

/** Options of {@link fromZodError}. */
export interface FromZodErrorOptions {
  /** The value that was parsed, so each issue can say what it received. */
  readonly input?: unknown;
  /** Prefix of the message (default `Invalid input`). */
  readonly where?: string;
  /** Capture a stack trace (default `false`: invalid client input is an expected outcome). */
  readonly captureStack?: boolean;
}

/**
 * Converts a zod error (from parsing client input) into a {@link ValidationError} whose
 * `issues` name every bad field. Its message and issues are safe to show to the client.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { fromZodError } from '@rampart/errors';
 *
 * const body = z.object({ email: z.email() });
 * const parsed = body.safeParse(payload);
 * if (!parsed.success) throw fromZodError(parsed.error, { input: payload });
 * ```
 */
export function fromZodError(
  error: z.ZodError,
  options: FromZodErrorOptions = {},
): ValidationError {
  const issues = toValidationIssues(
    error.issues,
    'input' in options ? { value: options.input } : undefined,
  );
  return new ValidationError(summarizeIssues(options.where ?? 'Invalid input', issues), {
    issues,
    cause: error,
    captureStack: options.captureStack ?? false,
  });
}
