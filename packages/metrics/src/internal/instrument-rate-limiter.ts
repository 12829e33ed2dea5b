/** What `instrument()` records from `@rampart/rate-limiter`'s channels (subscribed by name, types only). */
import type {
  RateLimiterDecisionEvent,
  RateLimiterFallbackEvent,
  RateLimiterStoreErrorEvent,
  rateLimiterChannels,
  StoreStateEvent,
} from '@rampart/rate-limiter';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { conditionGauge } from './instrument-recorder.ts';
import { storeStateMetrics } from './instrument-store-state.ts';

/** The channel names, checked against the package's own `rateLimiterChannels` by the type. */
export const RATE_LIMITER_CHANNELS: typeof rateLimiterChannels = {
  decision: 'rampart:rate-limiter:decision',
  storeError: 'rampart:rate-limiter:store-error',
  fallback: 'rampart:rate-limiter:fallback',
  storeState: 'rampart:rate-limiter:store-state',
};

/** `allowed`, `limited`, or `shadow` for a call shadow mode let through that the limits rejected. */
function outcomeOf(event: RateLimiterDecisionEvent): 'allowed' | 'limited' | 'shadow' {
  if (!event.allowed) return 'limited';
  return event.source === 'shadow' ? 'shadow' : 'allowed';
}

export function instrumentRateLimiter(recorder: Recorder): PackageInstrumentation {
  const decisions = recorder.counter({
    name: names.rateLimiterDecisions,
    help: 'Rate-limit decisions, by deciding policy, outcome (allowed, limited, shadow) and who answered.',
    labelNames: ['policy', 'outcome', 'source'],
  });
  const storeErrors = recorder.counter({
    name: names.rateLimiterStoreErrors,
    help: 'Rate-limiter store calls that failed or missed their deadline.',
    labelNames: ['operation', 'error_type'],
  });
  const fallbackActive = conditionGauge(recorder, {
    name: names.rateLimiterFallbackActive,
    help: '1 while the rate limiter skips its failing store and its fallback answers.',
    labelNames: [],
  });
  const fallbackTransitions = recorder.counter({
    name: names.rateLimiterFallbackTransitions,
    help: 'Rate-limiter fallback switches: engaged (store skipped) or recovered (store answers again).',
    labelNames: ['transition'],
  });

  const storeState = storeStateMetrics(recorder, {
    state: names.rateLimiterStoreState,
    transitions: names.rateLimiterStoreStateTransitions,
    subject: 'the rate-limiter store',
  });

  const listeners: ChannelListeners<typeof rateLimiterChannels> = {
    decision(event: RateLimiterDecisionEvent) {
      decisions(event.name, {
        policy: event.policy,
        outcome: outcomeOf(event),
        source: event.source,
      });
    },
    storeError(event: RateLimiterStoreErrorEvent) {
      storeErrors(event.name, { operation: event.operation, error_type: event.code });
    },
    fallback(event: RateLimiterFallbackEvent) {
      fallbackActive.set(event.name, event.active);
      fallbackTransitions(event.name, { transition: event.active ? 'engaged' : 'recovered' });
    },
    storeState(event: StoreStateEvent) {
      storeState(event);
    },
  };
  return { channels: RATE_LIMITER_CHANNELS, listeners };
}
