import type { RetryBudget } from '@rampart/retry';
import type { FailoverDecision } from '../classify.ts';
import type { ClassifyContext, Clock, LastResort, LatencyPercentileName } from '../options.ts';
import type { AttemptTicket, ProviderSlot } from './provider-slot.ts';
import type { ProviderOrder } from './strategies.ts';
import type { TrafficShare } from './traffic-share.ts';

/** Hedging settings with their defaults applied. */
export interface HedgeSettings {
  readonly delayMs: number | LatencyPercentileName;
  readonly maxHedges: number;
  readonly minSamples: number;
}

/** What every execution of one failover shares. */
export interface FailoverCore<Input, Output> {
  readonly name: string;
  readonly slots: readonly ProviderSlot<Input, Output>[];
  readonly order: ProviderOrder;
  readonly clock: Clock;
  readonly budget: RetryBudget | undefined;
  readonly hedge: HedgeSettings | undefined;
  readonly lastResort: LastResort<Input, Output> | undefined;
  readonly classify: (error: unknown, context: ClassifyContext) => FailoverDecision;
  readonly traffic: TrafficShare;
  /** Set by `dispose()`: calls still running reject with it instead of moving on. */
  disposedError: Error | undefined;
}

/** One provider call in flight; it is also the ticket the provider's breaker is given. */
export interface Attempt<Input, Output> extends AttemptTicket {
  readonly slot: ProviderSlot<Input, Output>;
  readonly startedAt: number;
  readonly hedge: boolean;
  readonly controller: AbortController | undefined;
  abandoned: boolean;
}

/** A provider call about to start. */
export function createAttempt<Input, Output>(
  slot: ProviderSlot<Input, Output>,
  attempt: number,
  now: number,
  hedge: boolean,
  controller: AbortController | undefined,
): Attempt<Input, Output> {
  return { attempt, called: false, slot, startedAt: now, hedge, controller, abandoned: false };
}
