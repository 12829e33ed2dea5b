import type * as z from 'zod';
import { ConfigurationError } from './built-in-errors.ts';
import { summarizeIssues, toValidationIssues } from './internal/format-issue.ts';

/**
 * Parses a factory's options with a zod schema. Returns the parsed (defaulted, typed)
 * options, or throws one {@link ConfigurationError} naming every bad field with what was
 * expected and what was received:
 * ``createRateLimiter: `limits[0].windowMs` must be greater than 0 (got -5)``.
 * It never lets a `TypeError` from a hostile input escape.
 *
 * @param where - the public call being configured, used as the message prefix.
 * @throws {@link ConfigurationError} when the input does not match the schema.
 *
 * @example
 * ```ts
 * import * as z from 'zod';
 * import { parseOptions } from '@rampart/errors';
 *
 * const schema = z.strictObject({ ttlMs: z.int().positive(), namespace: z.string().default('app') });
 *
 * export function createThing(options: z.input<typeof schema>) {
 *   const { ttlMs, namespace } = parseOptions(schema, options, 'createThing');
 *   // …
 * }
 * ```
 */
export function parseOptions<Schema extends z.ZodType>(
  schema: Schema,
  input: unknown,
  where: string,
): z.output<Schema> {
  let result: z.ZodSafeParseResult<z.output<Schema>>;
  try {
    result = schema.safeParse(input);
  } catch (cause) {
    throw new ConfigurationError(`${where}: the options could not be read`, { cause });
  }
  if (result.success) return result.data;
  const issues = toValidationIssues(result.error.issues, { value: input });
  throw new ConfigurationError(summarizeIssues(where, issues), { issues });
}
