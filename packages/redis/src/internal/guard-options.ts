import { MAX_TIMER_DELAY_MS, parseOptions } from '@rampart/errors';
import * as z from 'zod';

/** Node clamps a timer of 2^31 ms or more to 1 ms, so no duration may reach it. */
export const MAX_TIMER_MS: number = MAX_TIMER_DELAY_MS;

const mustBePositiveInteger = { error: 'must be a positive integer' };
const positiveInteger = z.int(mustBePositiveInteger).positive(mustBePositiveInteger);
const durationMs = positiveInteger.max(MAX_TIMER_MS, {
  error: 'must be below 2^31 ms (Node runs longer timers after 1 ms)',
});
const optionalFunction = z
  .custom<(...args: never[]) => unknown>((value) => typeof value === 'function', {
    error: 'must be a function',
  })
  .optional();

const schema = z.strictObject({
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  component: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  timeoutMs: durationMs,
  failureThreshold: positiveInteger,
  coolDownMs: durationMs,
  ping: optionalFunction,
  beforeRecovery: optionalFunction,
  onFailure: optionalFunction,
  onStateChange: optionalFunction,
  channel: z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .optional(),
  label: z.string({ error: 'must be a string' }).optional(),
  clock: z
    .custom<{ now(): number }>(
      (value) =>
        (typeof value === 'object' || typeof value === 'function') &&
        value !== null &&
        typeof (value as { now?: unknown }).now === 'function',
      { error: 'must be an object with a now() method' },
    )
    .optional(),
});

/**
 * Checks `createStoreGuard`'s options.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option.
 */
export function validateGuardOptions(options: unknown): void {
  parseOptions(schema, options, 'createStoreGuard');
}
