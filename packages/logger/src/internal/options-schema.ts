import { type Clock, clockSchema } from '@rampart/errors';
import pino from 'pino';
import * as z from 'zod';
import type { LogLevel } from '../levels.ts';
import { destinationSchema, levelSchema, type ParsedDestination } from './destination-schema.ts';

/** A bare key (`ssn`, `x-tenant-token`), redacted wherever sensitive keys are; anything else is a pino path. */
export const BARE_KEY_PATTERN: RegExp = /^[\w$-]+$/;

const sink = { write: (): void => {} };

/** Whether pino's redaction accepts the path (`user.email`, `body.cards[*].number`). */
function isValidRedactPath(path: string): boolean {
  if (BARE_KEY_PATTERN.test(path)) return true;
  try {
    pino({ redact: [path] }, sink);
    return true;
  } catch {
    return false;
  }
}

const functionSchema = z.custom<(value: unknown) => unknown>(
  (value) => typeof value === 'function',
  { error: 'must be a function' },
);

/** `createLogger`'s options after validation. */
export interface ParsedLoggerOptions {
  name?: string | undefined;
  level?: LogLevel | undefined;
  redact?: string[] | undefined;
  destination?: readonly ParsedDestination[] | undefined;
  base?: Record<string, unknown> | null | undefined;
  serializers?: Record<string, (value: unknown) => unknown> | undefined;
  clock?: Clock | undefined;
}

export const loggerOptionsSchema: z.ZodType<ParsedLoggerOptions, unknown> = z.strictObject({
  name: z
    .string({ error: 'must be a non-empty string' })
    .min(1, {
      error: 'must be a non-empty string',
    })
    .optional(),
  level: levelSchema.optional(),
  redact: z
    .array(
      z
        .string({ error: 'must be a key or a pino redaction path' })
        .min(1, { error: 'must be a key or a pino redaction path' })
        .refine(isValidRedactPath, {
          error: 'must be a key or a pino redaction path (like user.email or items[*].token)',
        }),
    )
    .optional(),
  destination: destinationSchema.optional(),
  base: z
    .record(z.string(), z.unknown(), { error: 'must be an object or null' })
    .nullable()
    .optional(),
  serializers: z.record(z.string(), functionSchema).optional(),
  clock: clockSchema.optional(),
});
