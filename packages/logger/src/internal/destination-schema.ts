import { resolve } from 'node:path';
import * as z from 'zod';
import type { LogStream } from '../destinations.ts';
import { LEVEL_EXPECTATION, LOG_LEVELS, type LogLevel } from '../levels.ts';
import { parseByteSize } from './byte-size.ts';
import type { FileRotation } from './file-stream.ts';

/** A destination after validation, with defaults applied. */
export type ParsedDestination =
  | { readonly kind: 'stdout' | 'stderr' | 'pretty'; readonly level: undefined }
  | {
      readonly kind: 'file';
      readonly file: string;
      readonly mkdir: boolean;
      readonly rotation: FileRotation | undefined;
      readonly level: LogLevel | undefined;
    }
  | { readonly kind: 'stream'; readonly stream: LogStream; readonly level: LogLevel | undefined };

export const levelSchema: z.ZodType<LogLevel> = z.enum(LOG_LEVELS as [LogLevel, ...LogLevel[]], {
  error: LEVEL_EXPECTATION,
});

const SIZE_EXPECTATION = "must be a size like '10m', '512k' or '1g', or a number of bytes";
const COUNT_EXPECTATION = 'must be a positive integer';
const FREQUENCY_EXPECTATION = "must be 'daily', 'hourly' or a period of at least 1000 ms";

const DEFAULT_SIZE_BYTES = 10 * 1024 * 1024;
const DEFAULT_COUNT = 5;

const rotationSchema = z.strictObject({
  size: z
    .union([z.number(), z.string()], { error: SIZE_EXPECTATION })
    .refine((size) => parseByteSize(size) !== undefined, { error: SIZE_EXPECTATION })
    .transform((size) => parseByteSize(size) ?? DEFAULT_SIZE_BYTES)
    .optional(),
  count: z
    .int({ error: COUNT_EXPECTATION })
    .min(1, { error: COUNT_EXPECTATION })
    .max(1000, { error: 'must be at most 1000' })
    .optional(),
  frequency: z
    .union([z.enum(['daily', 'hourly']), z.int().min(1000).max(Number.MAX_SAFE_INTEGER)], {
      error: FREQUENCY_EXPECTATION,
    })
    .optional(),
});

const fileSchema = z.strictObject({
  file: z.string({ error: 'must be a file path' }).min(1, { error: 'must be a file path' }),
  rotate: z.unknown().optional(), // checked on its own below, so its errors name the exact field
  level: levelSchema.optional(),
  mkdir: z.boolean().optional(),
});

const streamSchema = z.strictObject({
  stream: z.custom<LogStream>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { write?: unknown }).write === 'function',
    { error: 'must be an object with a write(line) method' },
  ),
  level: levelSchema.optional(),
});

const consoleSchema = z.enum(['stdout', 'stderr', 'pretty'], {
  error: "must be 'stdout', 'stderr' or 'pretty'",
});

const SHAPE_EXPECTATION =
  "must be 'stdout', 'stderr', 'pretty', a { file } object, a { stream } object or an array of them";

type Issue = z.core.$ZodRawIssue;

function toRotation(options: z.output<typeof rotationSchema>): FileRotation {
  return {
    sizeBytes: options.size ?? DEFAULT_SIZE_BYTES,
    count: options.count ?? DEFAULT_COUNT,
    frequency: options.frequency,
  };
}

function parseOne(
  value: unknown,
  path: readonly (string | number)[],
  issues: Issue[],
): ParsedDestination | undefined {
  const push = (result: z.ZodSafeParseError<unknown>): undefined => {
    for (const issue of result.error.issues) {
      issues.push({ ...issue, path: [...path, ...issue.path] } as Issue);
    }
    return undefined;
  };
  if (typeof value === 'string') {
    const parsed = consoleSchema.safeParse(value);
    if (!parsed.success) return push(parsed);
    return { kind: parsed.data, level: undefined };
  }
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    if ('file' in value) {
      const parsed = fileSchema.safeParse(value);
      if (!parsed.success) return push(parsed);
      const { rotate } = parsed.data;
      let rotation: FileRotation | undefined;
      if (rotate === true) {
        rotation = toRotation({});
      } else if (typeof rotate === 'object' && rotate !== null && !Array.isArray(rotate)) {
        const options = rotationSchema.safeParse(rotate);
        if (!options.success) {
          for (const issue of options.error.issues) {
            issues.push({ ...issue, path: [...path, 'rotate', ...issue.path] } as Issue);
          }
          return undefined;
        }
        rotation = toRotation(options.data);
      } else if (rotate !== undefined && rotate !== false) {
        issues.push({
          code: 'custom',
          message: 'must be true, false or an object of rotation options',
          input: rotate,
          path: [...path, 'rotate'],
        });
        return undefined;
      }
      return {
        kind: 'file',
        file: resolve(parsed.data.file),
        mkdir: parsed.data.mkdir ?? true,
        rotation,
        level: parsed.data.level,
      };
    }
    if ('stream' in value) {
      const parsed = streamSchema.safeParse(value);
      if (!parsed.success) return push(parsed);
      return { kind: 'stream', stream: parsed.data.stream, level: parsed.data.level };
    }
  }
  issues.push({ code: 'custom', message: SHAPE_EXPECTATION, input: value, path: [...path] });
  return undefined;
}

/**
 * `destination`: one destination or a non-empty array of them. Each item is checked
 * against the one shape it can be (picked by its type and its `file` or `stream` key), so a
 * mistake is reported at its own path (`destination[1].rotate.count`).
 */
export const destinationSchema: z.ZodType<readonly ParsedDestination[], unknown> = z
  .unknown()
  .transform((value, context) => {
    const issues: Issue[] = [];
    let parsed: (ParsedDestination | undefined)[];
    if (Array.isArray(value)) {
      if (value.length === 0) {
        context.issues.push({ code: 'custom', message: 'must not be empty', input: value });
        return z.NEVER;
      }
      parsed = value.map((item: unknown, index) => parseOne(item, [index], issues));
    } else {
      parsed = [parseOne(value, [], issues)];
    }
    if (issues.length > 0) {
      for (const issue of issues) context.issues.push(issue);
      return z.NEVER;
    }
    return parsed.filter((item): item is ParsedDestination => item !== undefined);
  });
