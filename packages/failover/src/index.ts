/**
 * Routing across providers: a circuit breaker per provider, strategies (priority, weighted,
 * least latency), hedging of slow providers, a shared retry budget and a last resort.
 *
 * @packageDocumentation
 * @module @rampart/failover
 */
export type { FailoverDecision } from './classify.ts';
export { classifyFailoverError } from './classify.ts';
export type {
  FailoverAttemptEvent,
  FailoverAttemptOutcome,
  FailoverExhaustedEvent,
  FailoverFallbackUsedEvent,
  FailoverHedgeEvent,
  FailoverProviderSkippedEvent,
  FailoverSkipReason,
} from './events.ts';
export { failoverChannels } from './events.ts';
export { createFailover } from './failover.ts';
export type {
  ClassifyContext,
  Clock,
  ExhaustedReason,
  Failover,
  FailoverExecuteOptions,
  FailoverOptions,
  FailoverProvider,
  FailoverStrategy,
  HedgeOptions,
  LastResort,
  LastResortContext,
  LatencyPercentileName,
  ProviderCallContext,
} from './options.ts';
export type {
  FailoverState,
  ProviderAvailability,
  ProviderLatency,
  ProviderState,
} from './state.ts';
