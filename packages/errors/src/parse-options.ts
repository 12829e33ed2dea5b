import type * as z from 'zod';
import { ConfigurationError, type ValidationIssue } from './built-in-errors.ts';
import { summarizeIssues, toValidationIssues } from './internal/format-issue.ts';
import {
  acceptsUndefined,
  describeMisplacedOptions,
  objectSchemaKeys,
} from './internal/options-shape.ts';

/**
 * Parses a factory's options with a zod schema. Returns the parsed (defaulted, typed)
 * options, or throws one {@link ConfigurationError} naming every bad field with what was
 * expected and what was received:
 * ``createRateLimiter: `limits[0].windowMs` must be greater than 0 (got -5)``.
 * It never lets a `TypeError` from a hostile input escape.
 *
 * @remarks
 * Messages stay short and useful on any input: missing options name each required option
 * (``createCircuitBreaker: `name` is required``); a value that is not a plain object (a
 * Redis client, a `Map`, a class instance, a function) passed where an object schema
 * expects options gets one sentence saying so (``redisStore: expected a plain options
 * object, got a Redis client; pass the client as `{ client }` ``); unknown keys are listed
 * up to five, then counted.
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
  const keys = objectSchemaKeys(schema);
  if (keys !== undefined) {
    const misplaced = describeMisplacedOptions(input, keys);
    if (misplaced !== undefined) {
      throw new ConfigurationError(`${where}: ${misplaced}`, {
        issues: [{ path: '', message: misplaced, code: 'invalid_type' }],
      });
    }
  }
  let result: z.ZodSafeParseResult<z.output<Schema>>;
  try {
    result = schema.safeParse(input);
  } catch (cause) {
    throw new ConfigurationError(`${where}: the options could not be read`, { cause });
  }
  if (result.success) return result.data;
  const issues =
    keys !== undefined && input === undefined
      ? missingOptionsIssues(schema)
      : toValidationIssues(result.error.issues, { value: input });
  throw new ConfigurationError(summarizeIssues(where, issues), { issues });
}

/** Names what an absent options object lacks: each required option, or the object itself. */
function missingOptionsIssues(schema: z.ZodType): ValidationIssue[] {
  const empty = {};
  let result: z.ZodSafeParseResult<unknown> | undefined;
  try {
    result = acceptsUndefined(schema) ? undefined : schema.safeParse(empty);
  } catch {
    result = undefined;
  }
  if (result === undefined || result.success) {
    return [
      { path: '', message: 'must be an options object (got undefined)', code: 'invalid_type' },
    ];
  }
  return toValidationIssues(result.error.issues, { value: empty });
}
