import * as z from 'zod';
import type { CircuitBreakerSnapshot } from '../snapshot.ts';

const count = z.int({ error: 'must be a non-negative integer' }).nonnegative({
  error: 'must be a non-negative integer',
});
const time = z.number({ error: 'must be a finite number' }).refine(Number.isFinite, {
  error: 'must be a finite number',
});

const bucketSchema = z.strictObject({
  startedAt: time,
  successes: count,
  failures: count,
  timeouts: count,
  slowCalls: count,
  ignored: count,
  aborted: count,
  rejected: count,
  capacityRejected: count,
});

/** Validates what {@link CircuitBreakerSnapshot} promises, so hydration cannot corrupt a breaker. */
export const snapshotSchema: z.ZodType<CircuitBreakerSnapshot> = z.strictObject({
  name: z.string({ error: 'must be a string' }),
  state: z.enum(['closed', 'open', 'half-open', 'isolated'], {
    error: "must be 'closed', 'open', 'half-open' or 'isolated'",
  }),
  retryAt: time.nullable(),
  consecutiveOpens: count,
  exportedAt: time,
  bucketMs: z.number({ error: 'must be a positive number' }).positive({
    error: 'must be a positive number',
  }),
  buckets: z.array(bucketSchema, { error: 'must be an array' }).max(1_000, {
    error: 'must hold at most 1000 buckets',
  }),
});
