import { type Clock, clockSchema, parseOptions, ratioSchema, systemClock } from '@rampart/errors';
import * as z from 'zod';

/**
 * A token bucket of retries, shared by every call of the policies it is given to. Each call
 * earns a fraction of a retry (`retryRatio`), time adds a small floor (`minRetriesPerSecond`)
 * and each retry spends one whole token; when fewer than one is left, calls give up at once
 * instead of retrying. Retries so stay at most about `retryRatio` of the calls plus the floor,
 * whatever fails: the guard against retry storms.
 *
 * Implement it yourself to share a budget differently (for example across processes).
 */
export interface RetryBudget {
  /** Credits the budget for one call (not a retry); policies call it once per `execute`. */
  recordCall(): void;
  /** Spends one retry; `false`, spending nothing, when less than one is available. */
  tryRetry(): boolean;
  /** Whole retries that could be spent right now. */
  available(): number;
}

/** Options of {@link createRetryBudget}. */
export interface RetryBudgetOptions {
  /**
   * Retries each call earns: 0.1 lets retries add at most 10 % to the load on a dependency.
   * @default `0.1` — the ratio gRPC and Finagle recommend: a dependency that is down sees at
   *   most 10 % more calls, not 3× more.
   */
  readonly retryRatio?: number;
  /**
   * Retries added per second whatever the traffic, so services with few calls can still
   * retry a blip.
   * @default `10` — Finagle's floor: a low-traffic caller keeps working retries.
   */
  readonly minRetriesPerSecond?: number;
  /**
   * The most retries that can be saved up, and the budget's starting balance: the largest
   * burst of retries allowed before the ratio takes over.
   * @default `100` — ten seconds of the default floor.
   */
  readonly capacity?: number;
  /**
   * The time source for the per-second floor.
   * @default Date — wall-clock milliseconds.
   */
  readonly clock?: Clock;
}

const RATE_MESSAGE = 'must be a finite number from 0 to 1000000';
const CAPACITY_MESSAGE = 'must be a finite number from 1 to 1000000000';

const budgetSchema = z
  .strictObject({
    retryRatio: ratioSchema.optional(),
    minRetriesPerSecond: z
      .number({ error: RATE_MESSAGE })
      .gte(0, { error: RATE_MESSAGE })
      .lte(1_000_000, { error: RATE_MESSAGE })
      .optional(),
    capacity: z
      .number({ error: CAPACITY_MESSAGE })
      .gte(1, { error: CAPACITY_MESSAGE })
      .lte(1_000_000_000, { error: CAPACITY_MESSAGE })
      .optional(),
    clock: clockSchema.optional(),
  })
  .optional();

/** Sums of tenths are not exact in binary; a token this close to whole counts as whole. */
const EPSILON = 1e-9;

/**
 * Creates a {@link RetryBudget}: a token bucket that starts full with `capacity` retries,
 * earns `retryRatio` per call and `minRetriesPerSecond` per second, and spends one per retry.
 * Recording a call reads no clock, so a budget costs the success path one addition.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
 * @example
 * ```ts
 * import { createRetryBudget, createRetryPolicy } from '@rampart/retry';
 *
 * // One budget for every policy that calls the inventory service.
 * const inventoryBudget = createRetryBudget({ retryRatio: 0.2, minRetriesPerSecond: 5 });
 * const reads = createRetryPolicy({ name: 'inventory-read', budget: inventoryBudget });
 * const writes = createRetryPolicy({ name: 'inventory-write', budget: inventoryBudget, retries: 1 });
 * ```
 */
export function createRetryBudget(options?: RetryBudgetOptions): RetryBudget {
  const parsed = parseOptions(budgetSchema, options, 'createRetryBudget') ?? {};
  const retryRatio = parsed.retryRatio ?? 0.1;
  const perMillisecond = (parsed.minRetriesPerSecond ?? 10) / 1000;
  const capacity = parsed.capacity ?? 100;
  const clock = parsed.clock ?? systemClock;
  let tokens = capacity;
  let refilledAt = clock.now();

  function refill(): void {
    const now = clock.now();
    const elapsed = now - refilledAt;
    refilledAt = now;
    if (elapsed > 0 && perMillisecond > 0) {
      tokens = Math.min(capacity, tokens + elapsed * perMillisecond);
    }
  }

  return {
    recordCall() {
      tokens += retryRatio;
      if (tokens > capacity) tokens = capacity;
    },
    tryRetry() {
      refill();
      if (tokens + EPSILON < 1) return false;
      tokens = Math.max(0, tokens - 1);
      return true;
    },
    available() {
      refill();
      return Math.floor(tokens + EPSILON);
    },
  };
}
