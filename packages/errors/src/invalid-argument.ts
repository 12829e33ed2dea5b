import { ValidationError } from './built-in-errors.ts';
import { describeValue } from './describe-value.ts';

/**
 * Builds the {@link ValidationError} for one bad argument of a hot-path call, worded like
 * {@link parseOptions}' messages: ``consume: `cost` must be a positive integer (got 0)``.
 * No stack is captured unless asked: hot paths reject bad input cheaply.
 *
 * @param where - the public call, e.g. `consume`.
 * @param path - the argument or field, e.g. `cost`.
 * @param expectation - what was expected, starting with a verb: `must be a positive integer`.
 * @param received - the value received.
 *
 * @example
 * ```ts
 * import { invalidArgument } from '@rampart/errors';
 *
 * if (!Number.isInteger(cost) || cost <= 0) {
 *   throw invalidArgument('consume', 'cost', 'must be a positive integer', cost);
 * }
 * ```
 */
export function invalidArgument(
  where: string,
  path: string,
  expectation: string,
  received: unknown,
  options: { readonly captureStack?: boolean } = {},
): ValidationError {
  const message = `${expectation} (got ${describeValue(received)})`;
  return new ValidationError(`${where}: \`${path}\` ${message}`, {
    issues: [{ path, message, code: 'invalid_argument' }],
    captureStack: options.captureStack ?? false,
  });
}
