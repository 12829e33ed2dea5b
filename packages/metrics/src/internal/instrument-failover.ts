/** What `instrument()` records from `@rampart/failover`'s channels (subscribed by name, types only). */
import type {
  FailoverAttemptEvent,
  FailoverExhaustedEvent,
  FailoverFallbackUsedEvent,
  FailoverHedgeEvent,
  FailoverProviderSkippedEvent,
  failoverChannels,
} from '@rampart/failover';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { secondsOf } from './instrument-recorder.ts';

/** The channel names, checked against the package's own `failoverChannels` by the type. */
export const FAILOVER_CHANNELS: typeof failoverChannels = {
  attempt: 'rampart:failover:attempt',
  providerSkipped: 'rampart:failover:provider-skipped',
  hedge: 'rampart:failover:hedge',
  fallbackUsed: 'rampart:failover:fallback-used',
  exhausted: 'rampart:failover:exhausted',
};

export function instrumentFailover(recorder: Recorder): PackageInstrumentation {
  const attempts = recorder.counter({
    name: names.failoverAttempts,
    help: 'Provider calls, by provider and how they ended.',
    labelNames: ['provider', 'outcome'],
  });
  const attemptDuration = recorder.histogram({
    name: names.failoverAttemptDuration,
    help: 'Duration of provider calls, by provider and how they ended, in seconds.',
    labelNames: ['provider', 'outcome'],
  });
  const skipped = recorder.counter({
    name: names.failoverSkipped,
    help: 'Providers passed over without a call, by why.',
    labelNames: ['provider', 'reason'],
  });
  const hedges = recorder.counter({
    name: names.failoverHedges,
    help: 'Hedges: providers started while another had not answered yet.',
    labelNames: ['provider'],
  });
  const lastResorts = recorder.counter({
    name: names.failoverLastResortUses,
    help: 'Calls answered by the last resort, by why no provider answered and whether it succeeded.',
    labelNames: ['reason', 'succeeded'],
  });
  const exhausted = recorder.counter({
    name: names.failoverExhausted,
    help: 'Calls no provider answered, by why.',
    labelNames: ['reason'],
  });
  const listeners: ChannelListeners<typeof failoverChannels> = {
    attempt(event: FailoverAttemptEvent) {
      const labels = { provider: event.provider, outcome: event.outcome };
      attempts(event.name, labels);
      attemptDuration(event.name, labels, secondsOf(event.durationMs));
    },
    providerSkipped(event: FailoverProviderSkippedEvent) {
      skipped(event.name, { provider: event.provider, reason: event.reason });
    },
    hedge(event: FailoverHedgeEvent) {
      hedges(event.name, { provider: event.provider });
    },
    fallbackUsed(event: FailoverFallbackUsedEvent) {
      lastResorts(event.name, { reason: event.reason, succeeded: String(event.succeeded) });
    },
    exhausted(event: FailoverExhaustedEvent) {
      exhausted(event.name, { reason: event.reason });
    },
  };
  return { channels: FAILOVER_CHANNELS, listeners };
}
