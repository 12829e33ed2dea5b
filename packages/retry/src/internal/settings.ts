import {
  abortSignalSchema,
  type Clock,
  clockSchema,
  durationMsSchema,
  isAbortSignalLike,
  nameSchema,
  nonNegativeDurationMsSchema,
  optionMessages,
  parseOptions,
  systemClock,
} from '@rampart/errors';
import * as z from 'zod';
import { type Backoff, backoff } from '../backoff.ts';
import { isRetryable } from '../is-retryable.ts';
import { createRetryBudget, type RetryBudget } from '../retry-budget.ts';
import type { OnRetry, RetryOptions, RetryPolicyOptions, ShouldRetry } from '../types.ts';
import { functionSchema } from './schemas.ts';

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

const COUNT = 'must be a non-negative integer';

const positiveOrFalse = z.union([durationMsSchema, z.literal(false)], {
  error: `${optionMessages.durationMs}, or false`,
});

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
  name: nameSchema.optional(),
  retries: z.int({ error: COUNT }).nonnegative({ error: COUNT }).optional(),
  backoff: functionSchema<Backoff>().optional(),
  maxDelayMs: nonNegativeDurationMsSchema.optional(),
  maxElapsedMs: positiveOrFalse.optional(),
  attemptTimeoutMs: positiveOrFalse.optional(),
  shouldRetry: functionSchema<ShouldRetry>().optional(),
  onRetry: functionSchema<OnRetry>().optional(),
  budget: budgetSchema.optional(),
  unref: z.boolean({ error: 'must be a boolean' }).optional(),
  clock: clockSchema.optional(),
};

/** An attempt timeout longer than the deadline could never fire: almost certainly a mistake. */
function checkTimeouts(
  policy: {
    readonly attemptTimeoutMs?: number | false | undefined;
    readonly maxElapsedMs?: number | false | undefined;
  },
  context: z.RefinementCtx,
): void {
  const { attemptTimeoutMs } = policy;
  const maxElapsedMs = policy.maxElapsedMs ?? DEFAULT_MAX_ELAPSED_MS;
  if (typeof attemptTimeoutMs !== 'number' || maxElapsedMs === false) return;
  if (attemptTimeoutMs > maxElapsedMs) {
    context.addIssue({
      code: 'custom',
      path: ['attemptTimeoutMs'],
      message: `must be at most \`maxElapsedMs\` (${maxElapsedMs}${policy.maxElapsedMs === undefined ? ', its default' : ''}): the deadline ends every attempt first`,
      input: attemptTimeoutMs,
    });
  }
}

const DEFAULT_MAX_ELAPSED_MS = 30_000;

const policySchema = z.strictObject(policyShape).superRefine(checkTimeouts).optional();
const retrySchema = z
  .strictObject({ ...policyShape, signal: abortSignalSchema.optional() })
  .superRefine(checkTimeouts)
  .optional();

/** Duck-typed like p-retry, so a signal from another realm works. */
export const isAbortSignal: (value: unknown) => value is AbortSignal = isAbortSignalLike;

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
  const maxElapsedMs = options?.maxElapsedMs ?? DEFAULT_MAX_ELAPSED_MS;
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
    unref: options?.unref ?? false,
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
