import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import { type Backoff, backoff, MAX_TIMER_MS } from '../backoff.ts';
import { type Clock, systemClock } from '../clock.ts';
import { isRetryable } from '../is-retryable.ts';
import { createRetryBudget, type RetryBudget } from '../retry-budget.ts';
import type { OnRetry, RetryOptions, RetryPolicyOptions, ShouldRetry } from '../types.ts';
import { clockSchema, functionSchema } from './schemas.ts';

/** A policy after validation and defaults: every field present, `false` resolved. */
export interface RetrySettings {
  readonly name: string;
  readonly retries: number;
  readonly backoff: Backoff;
  readonly maxDelayMs: number;
  /** `Infinity` without a deadline. */
  readonly maxElapsedMs: number;
  /** `Infinity` without an attempt timeout. */
  readonly attemptTimeoutMs: number;
  readonly shouldRetry: ShouldRetry;
  readonly onRetry: OnRetry | undefined;
  readonly budget: RetryBudget | undefined;
  readonly unref: boolean;
  readonly clock: Clock;
}

const POSITIVE = `must be an integer from 1 to ${MAX_TIMER_MS}`;
const POSITIVE_OR_FALSE = `${POSITIVE} or false`;
const DELAY = `must be an integer from 0 to ${MAX_TIMER_MS}`;
const COUNT = 'must be a non-negative integer';

const positiveOrFalse = z.union(
  [
    z.int({ error: POSITIVE_OR_FALSE }).positive({ error: POSITIVE_OR_FALSE }).max(MAX_TIMER_MS, {
      error: POSITIVE_OR_FALSE,
    }),
    z.literal(false),
  ],
  { error: POSITIVE_OR_FALSE },
);

const budgetSchema = z.union(
  [
    z.custom<RetryBudget>(
      (value) =>
        typeof value === 'object' &&
        value !== null &&
        typeof (value as Partial<RetryBudget>).recordCall === 'function' &&
        typeof (value as Partial<RetryBudget>).tryRetry === 'function',
    ),
    z.literal(false),
  ],
  { error: 'must be a retry budget (createRetryBudget()) or false' },
);

const policyShape = {
  name: z
    .string({ error: 'must be a non-empty string' })
    .min(1, { error: 'must be a non-empty string' })
    .optional(),
  retries: z.int({ error: COUNT }).nonnegative({ error: COUNT }).optional(),
  backoff: functionSchema<Backoff>().optional(),
  maxDelayMs: z
    .int({ error: DELAY })
    .nonnegative({ error: DELAY })
    .max(MAX_TIMER_MS, { error: DELAY })
    .optional(),
  maxElapsedMs: positiveOrFalse.optional(),
  attemptTimeoutMs: positiveOrFalse.optional(),
  shouldRetry: functionSchema<ShouldRetry>().optional(),
  onRetry: functionSchema<OnRetry>().optional(),
  budget: budgetSchema.optional(),
  unref: z.boolean({ error: 'must be a boolean' }).optional(),
  clock: clockSchema.optional(),
};

const signalSchema = z.custom<AbortSignal>(isAbortSignal, { error: 'must be an AbortSignal' });

const policySchema = z.strictObject(policyShape).optional();
const retrySchema = z.strictObject({ ...policyShape, signal: signalSchema.optional() }).optional();

/** Duck-typed like p-retry, so a signal from another realm works. */
export function isAbortSignal(value: unknown): value is AbortSignal {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<AbortSignal>).addEventListener === 'function' &&
    typeof (value as Partial<AbortSignal>).removeEventListener === 'function' &&
    typeof (value as Partial<AbortSignal>).throwIfAborted === 'function' &&
    typeof (value as Partial<AbortSignal>).aborted === 'boolean'
  );
}

let defaultBackoff: Backoff | undefined;

/** Full jitter from 100 ms to 10 s, created once. */
function fullJitterByDefault(): Backoff {
  defaultBackoff ??= backoff.fullJitter();
  return defaultBackoff;
}

type ParsedPolicy = z.output<typeof policySchema>;

function resolve(
  options: ParsedPolicy,
  defaultBudget: (clock: Clock) => RetryBudget | undefined,
): RetrySettings {
  const clock = options?.clock ?? systemClock;
  const maxElapsedMs = options?.maxElapsedMs ?? 30_000;
  const attemptTimeoutMs = options?.attemptTimeoutMs ?? false;
  const budget = options?.budget;
  return Object.freeze({
    name: options?.name ?? 'default',
    retries: options?.retries ?? 3,
    backoff: options?.backoff ?? fullJitterByDefault(),
    maxDelayMs: options?.maxDelayMs ?? 10_000,
    maxElapsedMs: maxElapsedMs === false ? Number.POSITIVE_INFINITY : maxElapsedMs,
    attemptTimeoutMs: attemptTimeoutMs === false ? Number.POSITIVE_INFINITY : attemptTimeoutMs,
    shouldRetry: options?.shouldRetry ?? isRetryable,
    onRetry: options?.onRetry,
    budget: budget === false ? undefined : (budget ?? defaultBudget(clock)),
    unref: options?.unref ?? true,
    clock,
  });
}

/** Validates the options of `createRetryPolicy`; a policy gets its own budget by default. */
export function policySettings(options: RetryPolicyOptions | undefined): RetrySettings {
  const parsed = parseOptions(policySchema, options, 'createRetryPolicy');
  return resolve(parsed, (clock) => createRetryBudget({ clock }));
}

/** Validates the options of `retry`; a one-off call has no budget unless given one. */
export function retrySettings(options: RetryOptions): {
  settings: RetrySettings;
  signal: AbortSignal | undefined;
} {
  const parsed = parseOptions(retrySchema, options, 'retry');
  return { settings: resolve(parsed, () => undefined), signal: parsed?.signal };
}
