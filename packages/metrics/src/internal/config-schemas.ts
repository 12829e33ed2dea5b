/**
 * zod schemas of the metric configurations. Optional shape fields stay `undefined` when not
 * given, so get-or-create compares only what the caller asked for.
 */
import * as z from 'zod';
import type { Aggregator } from '../types.ts';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const mustBeMetricName = {
  error: 'must be a metric name: letters, digits, _ and :, not starting with a digit',
};
const mustBeLabelName = {
  error: 'must be a label name: letters, digits and _, not starting with a digit',
};
const mustBePositiveInteger = { error: 'must be a positive integer' };

/** A Prometheus metric name. */
export const metricNameSchema: z.ZodString = z
  .string(mustBeMetricName)
  .regex(METRIC_NAME, mustBeMetricName);

/** A metric name prefix: empty, or the start of a metric name. */
export const prefixSchema: z.ZodString = z
  .string({ error: 'must be a string' })
  .regex(/^(?:[a-zA-Z_:][a-zA-Z0-9_:]*)?$/, mustBeMetricName);

/** A Prometheus label name, not reserved by Prometheus (`__…`). */
export const labelNameSchema: z.ZodType<string> = z
  .string(mustBeLabelName)
  .regex(LABEL_NAME, mustBeLabelName)
  .refine((name) => !name.startsWith('__'), {
    error: 'must not start with __ (reserved by Prometheus)',
  });

/** A positive integer. */
export const positiveIntegerSchema: z.ZodType<number> = z
  .int(mustBePositiveInteger)
  .positive(mustBePositiveInteger);

/** Histogram bucket bounds: finite, strictly increasing, at least one. */
export const bucketsSchema: z.ZodType<readonly number[]> = z
  .array(z.number({ error: 'must be a finite number' }), { error: 'must be an array of numbers' })
  .min(1, { error: 'must hold at least one bound' })
  .refine((bounds) => bounds.every((bound) => Number.isFinite(bound)), {
    error: 'must hold finite numbers only (+Inf is always added)',
  })
  .refine(
    (bounds) => bounds.every((bound, index) => index === 0 || bound > (bounds[index - 1] ?? bound)),
    {
      error: 'must be strictly increasing',
    },
  );

const aggregatorSchema: z.ZodType<Aggregator> = z.enum(
  ['omit', 'sum', 'first', 'min', 'max', 'average'],
  {
    error: "must be one of 'omit', 'sum', 'first', 'min', 'max', 'average'",
  },
);

const collectSchema = z.custom<(metric: never, signal: AbortSignal) => unknown>(
  (value) => typeof value === 'function',
  {
    error: 'must be a function',
  },
);

function labelNamesSchema(reserved: readonly string[]): z.ZodType<readonly string[]> {
  return z
    .array(labelNameSchema, { error: 'must be an array of label names' })
    .refine((names) => new Set(names).size === names.length, {
      error: 'must not repeat a label name',
    })
    .refine((names) => !names.some((name) => reserved.includes(name)), {
      error: `must not use a reserved label name (${reserved.join(', ')})`,
    });
}

const common = {
  help: z
    .string({ error: 'must be a non-empty string' })
    .min(1, { error: 'must be a non-empty string' }),
  maxSeries: positiveIntegerSchema.optional(),
  aggregator: aggregatorSchema.optional(),
  collect: collectSchema.optional(),
};

/** A parsed metric configuration; optional fields stay `undefined` when not given. */
export interface ParsedMetricConfig {
  readonly name: string;
  readonly help: string;
  readonly labelNames?: readonly string[] | undefined;
  readonly maxSeries?: number | undefined;
  readonly aggregator?: Aggregator | undefined;
  readonly collect?: ((metric: never, signal: AbortSignal) => unknown) | undefined;
}

/** Counter and gauge configurations. */
export const scalarConfigSchema: z.ZodType<ParsedMetricConfig> = z.strictObject({
  name: metricNameSchema,
  labelNames: labelNamesSchema(['overflow']).optional(),
  ...common,
});

/** A parsed histogram configuration. */
export interface ParsedHistogramConfig extends ParsedMetricConfig {
  readonly buckets?: readonly number[] | undefined;
}

/** Histogram configurations. */
export const histogramConfigSchema: z.ZodType<ParsedHistogramConfig> = z.strictObject({
  name: metricNameSchema,
  labelNames: labelNamesSchema(['le', 'overflow']).optional(),
  buckets: bucketsSchema.optional(),
  ...common,
});

/** A parsed summary configuration. */
export interface ParsedSummaryConfig extends ParsedMetricConfig {
  readonly percentiles?: readonly number[] | undefined;
  readonly maxAgeSeconds?: number | undefined;
  readonly ageBuckets?: number | undefined;
  readonly pruneAgedBuckets?: boolean | undefined;
  readonly compressCount?: number | undefined;
}

/** Summary configurations. */
export const summaryConfigSchema: z.ZodType<ParsedSummaryConfig> = z
  .strictObject({
    name: metricNameSchema,
    labelNames: labelNamesSchema(['quantile', 'overflow']).optional(),
    percentiles: z
      .array(
        z
          .number({ error: 'must be a number between 0 and 1' })
          .min(0, { error: 'must be a number between 0 and 1' })
          .max(1, { error: 'must be a number between 0 and 1' }),
        { error: 'must be an array of numbers between 0 and 1' },
      )
      .min(1, { error: 'must hold at least one quantile' })
      .optional(),
    maxAgeSeconds: z
      .number({ error: 'must be a positive number' })
      .positive({ error: 'must be a positive number' })
      .optional(),
    ageBuckets: positiveIntegerSchema.optional(),
    pruneAgedBuckets: z.boolean({ error: 'must be a boolean' }).optional(),
    compressCount: positiveIntegerSchema.optional(),
    ...common,
  })
  .refine((config) => (config.maxAgeSeconds === undefined) === (config.ageBuckets === undefined), {
    error: 'must be given together with `ageBuckets`',
    path: ['maxAgeSeconds'],
  });
