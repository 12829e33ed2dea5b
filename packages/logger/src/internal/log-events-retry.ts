/** What `logEvents()` logs from `@rampart/retry` (subscribed by name, types only). */
import type { RetryBudgetExhaustedEvent, retryChannels } from '@rampart/retry';
import {
  type ChannelListeners,
  type LogEventsContext,
  type PackageLogging,
  quoted,
} from './log-events-context.ts';

/** The channel names, checked against the package's own `retryChannels` by the type. */
export const RETRY_CHANNELS: typeof retryChannels = {
  attempt: 'rampart:retry:attempt',
  giveUp: 'rampart:retry:give-up',
  budgetExhausted: 'rampart:retry:budget-exhausted',
};

/**
 * Logs an exhausted retry budget (`warn`, at most one line per policy per interval).
 * Attempts and give-ups are per call, and the caller receives the error: not logged.
 */
export function logRetry(context: LogEventsContext): PackageLogging {
  const listeners: ChannelListeners<typeof retryChannels> = {
    attempt: null,
    giveUp: null,
    budgetExhausted(event: RetryBudgetExhaustedEvent) {
      context.throttled(event.name, {
        event: 'retry.budget-exhausted',
        fields: {
          retryPolicy: event.name,
          attempt: event.attempt,
          code: event.code,
          err: event.error,
        },
        message: `retry policy ${quoted(event.name)}: retry budget exhausted, failing calls without retrying`,
      });
    },
  };
  return { channels: RETRY_CHANNELS, listeners };
}
