import { MAX_TIMER_DELAY_MS, parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { Clock } from '../../clock.ts';
import type { HealthCheck, HealthCheckOptions } from '../../health-check.ts';
import type { HealthGroup } from '../../health-status.ts';

export const LARGEST_TIMER_MS: number = MAX_TIMER_DELAY_MS;

export function positiveMs(
  message = 'must be a positive integer (milliseconds)',
): z.ZodType<number> {
  return z
    .int({ error: message })
    .positive({ error: message })
    .max(LARGEST_TIMER_MS, { error: `must be a positive integer up to ${LARGEST_TIMER_MS}` });
}

export function nonNegativeMs(
  message = 'must be a non-negative integer (milliseconds)',
): z.ZodType<number> {
  return z
    .int({ error: message })
    .min(0, { error: message })
    .max(LARGEST_TIMER_MS, { error: `must be an integer from 0 to ${LARGEST_TIMER_MS}` });
}

export const clockSchema: z.ZodType<Clock> = z.custom<Clock>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { now?: unknown }).now === 'function',
  { error: 'must be an object with a now() method' },
);

/** An instance name: it becomes a metric label and a log field. */
export const nameSchema: z.ZodType<string> = z
  .string({ error: 'must be a string of 1 to 100 characters' })
  .min(1, { error: 'must be a string of 1 to 100 characters' })
  .max(100, { error: 'must be a string of 1 to 100 characters' });

const checkSchema = z.custom<HealthCheck>((value) => typeof value === 'function', {
  error: 'must be a function',
});

export const groupsSchema: z.ZodType<readonly HealthGroup[]> = z
  .array(
    z.enum(['liveness', 'readiness', 'startup'], {
      error: 'must be liveness, readiness or startup',
    }),
    { error: 'must be an array of liveness, readiness or startup' },
  )
  .readonly();

const checkOptionsShape = {
  groups: groupsSchema.optional(),
  critical: z.boolean({ error: 'must be a boolean' }).optional(),
  timeoutMs: positiveMs().optional(),
  cacheMs: nonNegativeMs().optional(),
};

const checkOptionsSchema = z.strictObject(checkOptionsShape, {
  error: 'must be an object',
});

const definitionSchema = z.union(
  [checkSchema, z.strictObject({ check: checkSchema, ...checkOptionsShape })],
  { error: 'must be a function or an object with a check function' },
);

/** A check with its options, as parsed (optional fields may be `undefined`). */
export type DefinitionInput = { readonly check: HealthCheck } & {
  readonly [Key in keyof HealthCheckOptions]?: HealthCheckOptions[Key] | undefined;
};

/** The options of `createHealth`, parsed. */
export interface ParsedHealthOptions {
  readonly checks?: Readonly<Record<string, HealthCheck | DefinitionInput>> | undefined;
  readonly name?: string | undefined;
  readonly timeoutMs?: number | undefined;
  readonly cacheMs?: number | undefined;
  readonly clock?: Clock | undefined;
}

const healthOptionsSchema: z.ZodType<ParsedHealthOptions> = z.strictObject(
  {
    name: nameSchema.optional(),
    checks: z
      .record(z.string().min(1, { error: 'must not be empty' }), definitionSchema)
      .optional(),
    timeoutMs: positiveMs().optional(),
    cacheMs: nonNegativeMs().optional(),
    clock: clockSchema.optional(),
  },
  { error: 'must be an object' },
);

/** Parses `createHealth`'s options; throws a `ConfigurationError` naming each bad field. */
export function parseHealthOptions(input: unknown): ParsedHealthOptions {
  return parseOptions(healthOptionsSchema, input ?? {}, 'createHealth');
}

/** Parses the options of `add`; throws a `ConfigurationError` naming each bad field. */
export function parseCheckOptions(input: unknown): Omit<DefinitionInput, 'check'> {
  return parseOptions(checkOptionsSchema, input ?? {}, 'add');
}
