import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { Clock } from '../options.ts';
import type { CircuitBreakerSnapshot } from '../snapshot.ts';
import type { PolicyInput } from './settings.ts';
import { snapshotSchema } from './snapshot-schema.ts';

const LARGEST_TIMER_MS = 2 ** 31 - 1;

function positiveInteger(message = 'must be a positive integer') {
  return z
    .int({ error: message })
    .positive({ error: message })
    .max(LARGEST_TIMER_MS, { error: `${message} up to ${LARGEST_TIMER_MS}` });
}

function positiveIntegerOrFalse() {
  const message = 'must be a positive integer or false';
  return z.union([positiveInteger(message), z.literal(false)], { error: message });
}

function boundedNumber(minimum: number, maximum: number, exclusiveMinimum: boolean) {
  const message = `must be a number ${exclusiveMinimum ? 'above' : 'of at least'} ${minimum} and at most ${maximum}`;
  const number = z.number({ error: message });
  return (
    exclusiveMinimum
      ? number.gt(minimum, { error: message })
      : number.gte(minimum, { error: message })
  ).lte(maximum, { error: message });
}

function functionSchema<Fn>() {
  return z.custom<Fn>((value) => typeof value === 'function', { error: 'must be a function' });
}

const clockSchema = z.custom<Clock>(
  (value) =>
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { now?: unknown }).now === 'function',
  { error: 'must be an object with a now() method' },
);

const policyShape = {
  timeoutMs: positiveIntegerOrFalse().optional(),
  errorThresholdPercentage: boundedNumber(0, 100, true).optional(),
  volumeThreshold: positiveInteger().optional(),
  rollingWindowMs: positiveInteger().optional(),
  rollingWindowBuckets: z
    .int({ error: 'must be an integer from 1 to 1000' })
    .min(1, { error: 'must be an integer from 1 to 1000' })
    .max(1_000, { error: 'must be an integer from 1 to 1000' })
    .optional(),
  resetTimeoutMs: positiveInteger().optional(),
  resetBackoffFactor: boundedNumber(1, 1_000, false).optional(),
  maxResetTimeoutMs: positiveInteger().optional(),
  halfOpenProbes: positiveInteger().optional(),
  successesToClose: positiveInteger().optional(),
  slowCallMs: positiveIntegerOrFalse().optional(),
  capacity: positiveIntegerOrFalse().optional(),
  isFailure: functionSchema<(error: unknown) => boolean>().optional(),
  clock: clockSchema.optional(),
};

/** The checks that span several fields, reported on the field to change. */
function checkPolicy(policy: PolicyInput, context: z.RefinementCtx): void {
  const windowMs = policy.rollingWindowMs ?? 10_000;
  const buckets = policy.rollingWindowBuckets ?? 10;
  if (windowMs % buckets !== 0) {
    context.addIssue({
      code: 'custom',
      path: ['rollingWindowBuckets'],
      message: `must divide \`rollingWindowMs\` (${windowMs}) evenly`,
      input: buckets,
    });
  }
  const resetMs = policy.resetTimeoutMs ?? 30_000;
  if (policy.maxResetTimeoutMs !== undefined && policy.maxResetTimeoutMs < resetMs) {
    context.addIssue({
      code: 'custom',
      path: ['maxResetTimeoutMs'],
      message: `must be at least \`resetTimeoutMs\` (${resetMs})`,
      input: policy.maxResetTimeoutMs,
    });
  }
}

const nameSchema = z
  .string({ error: 'must be a non-empty string' })
  .refine((name) => name.trim() !== '', { error: 'must be a non-empty string' });

const fallbackSchema = functionSchema<(...args: never[]) => unknown>();

const breakerSchema = z
  .strictObject({
    ...policyShape,
    name: nameSchema,
    fallback: fallbackSchema.optional(),
    initialState: snapshotSchema.optional(),
  })
  .superRefine(checkPolicy);

const entrySchema = z
  .strictObject({ ...policyShape, fallback: fallbackSchema.optional() })
  .superRefine(checkPolicy);

const registrySchema = z.strictObject({
  defaults: z.strictObject(policyShape).superRefine(checkPolicy).optional(),
  maxBreakers: z
    .int({ error: 'must be a positive integer' })
    .positive({ error: 'must be a positive integer' })
    .optional(),
  initialState: z.array(snapshotSchema, { error: 'must be an array of snapshots' }).optional(),
});

/** Validated options of `createCircuitBreaker`. */
export interface ParsedBreakerOptions {
  readonly name: string;
  readonly policy: PolicyInput;
  readonly initialState: CircuitBreakerSnapshot | undefined;
}

/** @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option. */
export function parseBreakerOptions(input: unknown): ParsedBreakerOptions {
  const {
    name,
    fallback: _fallback,
    initialState,
    ...policy
  } = parseOptions(breakerSchema, input, 'createCircuitBreaker');
  return { name, policy, initialState };
}

/** @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option. */
export function parseEntryOptions(input: unknown, where: string): PolicyInput {
  const { fallback: _fallback, ...policy } = parseOptions(entrySchema, input, where);
  return policy;
}

/** Validated options of `createCircuitBreakerRegistry`. */
export interface ParsedRegistryOptions {
  readonly defaults: PolicyInput;
  readonly maxBreakers: number;
  readonly initialState: readonly CircuitBreakerSnapshot[];
}

/** @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option. */
export function parseRegistryOptions(input: unknown): ParsedRegistryOptions {
  const parsed = parseOptions(registrySchema, input, 'createCircuitBreakerRegistry');
  return {
    defaults: parsed.defaults ?? {},
    maxBreakers: parsed.maxBreakers ?? 10_000,
    initialState: parsed.initialState ?? [],
  };
}
