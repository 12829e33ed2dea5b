/** What `logEvents()` logs from `@rampart/failover` (subscribed by name, types only). */
import type {
  FailoverExhaustedEvent,
  FailoverFallbackUsedEvent,
  failoverChannels,
} from '@rampart/failover';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';

/** The channel names, checked against the package's own `failoverChannels` by the type. */
export const FAILOVER_CHANNELS: typeof failoverChannels = {
  attempt: 'rampart:failover:attempt',
  providerSkipped: 'rampart:failover:provider-skipped',
  hedge: 'rampart:failover:hedge',
  fallbackUsed: 'rampart:failover:fallback-used',
  exhausted: 'rampart:failover:exhausted',
};

const REASONS: Readonly<Record<FailoverExhaustedEvent['reason'], string>> = {
  'all-unavailable': 'every provider is unavailable',
  'all-failed': 'every provider tried failed',
  'budget-exhausted': 'the retry budget is spent',
};

/**
 * Logs calls no provider answered (`warn`, at most one line per failover per interval) and
 * last resorts that failed too (`warn`, throttled the same way). Attempts, skipped
 * providers and hedges are per call and not logged; the breakers' state changes tell which
 * provider is out.
 */
export function logFailover(context: LogEventsContext): PackageLogging {
  const listeners: ChannelListeners<typeof failoverChannels> = {
    attempt: null,
    providerSkipped: null,
    hedge: null,
    fallbackUsed(event: FailoverFallbackUsedEvent) {
      if (event.succeeded) return;
      context.throttled(`${event.name}:last-resort`, {
        event: 'failover.last-resort-failed',
        fields: { failover: event.name, reason: event.reason },
        message: `failover ${quoted(event.name)}: no provider answered and the last resort failed too`,
      });
    },
    exhausted(event: FailoverExhaustedEvent) {
      const fields: LogFields = {
        failover: event.name,
        reason: event.reason,
        attempts: event.attempts,
        lastResort: event.lastResort,
      };
      if (event.retryAfterMs !== undefined) fields.retryAfterMs = roundedMs(event.retryAfterMs);
      const answer = event.lastResort ? 'answering with the last resort' : 'failing calls';
      context.throttled(event.name, {
        event: 'failover.exhausted',
        fields,
        message: `failover ${quoted(event.name)}: no provider answered (${REASONS[event.reason]}), ${answer}`,
      });
    },
  };
  return { channels: FAILOVER_CHANNELS, listeners };
}
