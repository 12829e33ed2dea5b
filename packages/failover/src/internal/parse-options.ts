import { MAX_TIMER_DELAY_MS, parseOptions } from '@rampart/errors';
import type { RetryBudget } from '@rampart/retry';
import * as z from 'zod';
import type { FailoverOptions } from '../options.ts';

const LARGEST_TIMER_MS = MAX_TIMER_DELAY_MS;

function functionSchema<Fn>() {
  return z.custom<Fn>((value) => typeof value === 'function', { error: 'must be a function' });
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return names.every((name) => typeof (value as Record<string, unknown>)[name] === 'function');
}

const nameSchema = z
  .string({ error: 'must be a non-empty string' })
  .refine((name) => name.trim() !== '', { error: 'must be a non-empty string' });

const objectSchema = z.custom<object>(
  (value) => typeof value === 'object' && value !== null && !Array.isArray(value),
  { error: 'must be an object of circuit breaker options' },
);

const providerSchema = z.strictObject({
  name: nameSchema,
  call: functionSchema<(...args: never[]) => unknown>(),
  weight: z
    .number({ error: 'must be a finite number of at least 0' })
    .min(0, { error: 'must be a finite number of at least 0' })
    .max(1e9, { error: 'must be a finite number of at least 0' })
    .optional(),
  priority: z
    .number({ error: 'must be a finite number' })
    .min(-1e9, { error: 'must be a finite number' })
    .max(1e9, { error: 'must be a finite number' })
    .optional(),
  breaker: objectSchema.optional(),
});

const percentiles = ['p50', 'p90', 'p95', 'p99'] as const;
const delayMessage = `must be a positive integer of milliseconds up to ${LARGEST_TIMER_MS} or one of ${percentiles.join(', ')}`;

const hedgeSchema = z.strictObject(
  {
    delayMs: z.union(
      [
        z.int({ error: delayMessage }).positive({ error: delayMessage }).max(LARGEST_TIMER_MS),
        z.enum(percentiles, { error: delayMessage }),
      ],
      { error: delayMessage },
    ),
    maxHedges: z
      .int({ error: 'must be an integer from 1 to 10' })
      .min(1, { error: 'must be an integer from 1 to 10' })
      .max(10, { error: 'must be an integer from 1 to 10' })
      .optional(),
    minSamples: z
      .int({ error: 'must be an integer from 1 to 128' })
      .min(1, { error: 'must be an integer from 1 to 128' })
      .max(128, { error: 'must be an integer from 1 to 128' })
      .optional(),
  },
  { error: 'must be an object with `delayMs`' },
);

const budgetSchema = z.union(
  [
    z.literal(false),
    z.custom<RetryBudget>((value) => hasMethods(value, ['recordCall', 'tryRetry', 'available'])),
  ],
  { error: 'must be a retry budget (createRetryBudget()) or false' },
);

const failoverSchema = z
  .strictObject({
    name: nameSchema,
    providers: z
      .array(providerSchema, { error: 'must be a non-empty array of providers' })
      .min(1, { error: 'must be a non-empty array of providers' })
      .max(64, { error: 'must hold at most 64 providers' }),
    strategy: z
      .enum(['priority', 'weighted', 'least-latency'], {
        error: "must be 'priority', 'weighted' or 'least-latency'",
      })
      .optional(),
    explorationRate: z
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .optional(),
    random: functionSchema<() => number>().optional(),
    breaker: objectSchema.optional(),
    hedge: hedgeSchema.optional(),
    retryBudget: budgetSchema.optional(),
    lastResort: functionSchema<(...args: never[]) => unknown>().optional(),
    classify: functionSchema<(...args: never[]) => unknown>().optional(),
    clock: z
      .custom<{ now(): number }>((value) => hasMethods(value, ['now']), {
        error: 'must be an object with a now() method',
      })
      .optional(),
  })
  .superRefine((options, context) => {
    const seen = new Set<string>();
    options.providers.forEach((provider, index) => {
      if (seen.has(provider.name)) {
        context.addIssue({
          code: 'custom',
          path: ['providers', index, 'name'],
          message: `must be unique (${JSON.stringify(provider.name)} is used twice)`,
          input: provider.name,
        });
      }
      seen.add(provider.name);
    });
  });

/**
 * Checks the options of `createFailover` (breaker options are checked when the breakers are
 * created). The options are returned as given: functions keep their identity and types.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option.
 */
export function parseFailoverOptions<Input, Output>(
  options: FailoverOptions<Input, Output>,
): FailoverOptions<Input, Output> {
  parseOptions(failoverSchema, options, 'createFailover');
  return options;
}
