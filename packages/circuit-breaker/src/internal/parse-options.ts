import {
  clockSchema,
  durationMsSchema,
  nameSchema,
  optionMessages,
  parseOptions,
} from '@rampart/errors';
import * as z from 'zod';
import type { CircuitBreakerSnapshot } from '../snapshot.ts';
import type { PolicyInput } from './settings.ts';
import { snapshotSchema } from './snapshot-schema.ts';

const LARGEST_COUNT = 2 ** 31 - 1;

function positiveInteger(message = 'must be a positive integer') {
  return z
    .int({ error: message })
    .positive({ error: message })
    .max(LARGEST_COUNT, { error: `${message} up to ${LARGEST_COUNT}` });
}

function positiveIntegerOrFalse() {
  const message = 'must be a positive integer or false';
  return z.union([positiveInteger(message), z.literal(false)], { error: message });
}

function durationOrFalse() {
  const message = `${optionMessages.durationMs}, or false`;
  return z.union([durationMsSchema, z.literal(false)], { error: message });
}

/**
 * A percentage from 1 to 100. A value in (0, 1) is almost certainly a ratio given where a
 * percentage belongs (`0.5` meaning 50 %), so it is refused with a message that says so.
 */
const percentageSchema = z.custom<number>(
  (value) => typeof value === 'number' && value >= 1 && value <= 100,
  {
    error: (issue) => {
      const input = issue.input;
      if (typeof input !== 'number' || input <= 0 || input >= 1) {
        return 'must be a percentage from 1 to 100';
      }
      const percent = Math.round(input * 10_000) / 100;
      return `must be a percentage from 1 to 100, not a ratio: write ${percent} for ${percent} %`;
    },
  },
);

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

const policyShape = {
  timeoutMs: durationOrFalse().optional(),
  errorThresholdPercentage: percentageSchema.optional(),
  volumeThreshold: positiveInteger().optional(),
  rollingWindowMs: durationMsSchema.optional(),
  rollingWindowBuckets: z
    .int({ error: 'must be an integer from 1 to 1000' })
    .min(1, { error: 'must be an integer from 1 to 1000' })
    .max(1_000, { error: 'must be an integer from 1 to 1000' })
    .optional(),
  resetTimeoutMs: durationMsSchema.optional(),
  resetBackoffFactor: boundedNumber(1, 1_000, false).optional(),
  maxResetTimeoutMs: durationMsSchema.optional(),
  halfOpenProbes: positiveInteger().optional(),
  successesToClose: positiveInteger().optional(),
  slowCallMs: durationOrFalse().optional(),
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
