/** What `logEvents()` logs from `@rampart/rate-limiter` (subscribed by name, types only). */
import type {
  RateLimiterStoreErrorEvent,
  rateLimiterChannels,
  StoreStateEvent,
} from '@rampart/rate-limiter';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
} from './log-events-context.ts';
import { limiterStore, storeStateLogger } from './log-events-store-state.ts';

/** The channel names, checked against the package's own `rateLimiterChannels` by the type. */
export const RATE_LIMITER_CHANNELS: typeof rateLimiterChannels = {
  decision: 'rampart:rate-limiter:decision',
  storeError: 'rampart:rate-limiter:store-error',
  fallback: 'rampart:rate-limiter:fallback',
  storeState: 'rampart:rate-limiter:store-state',
};

/**
 * Logs the store guard skipping the store (`rate-limiter.fallback-engaged`, `warn`: the
 * `onStoreError` policy answers) and returning to it (`rate-limiter.fallback-recovered`,
 * `info`) from the `store-state` channel, worded as the cache's L2, and store errors (`warn`,
 * at most one line per limiter per interval). The `fallback` channel reports the same
 * transitions and is not logged twice; decisions are per call and not logged.
 */
export function logRateLimiter(context: LogEventsContext): PackageLogging {
  const storeState = storeStateLogger(context, {
    down: 'rate-limiter.fallback-engaged',
    up: 'rate-limiter.fallback-recovered',
    field: 'limiter',
    describe: limiterStore,
    downForField: 'fallbackForMs',
    source: { down: 'fallback', up: 'store' },
  });
  const listeners: ChannelListeners<typeof rateLimiterChannels> = {
    decision: null,
    storeError(event: RateLimiterStoreErrorEvent) {
      const fields: LogFields = {
        limiter: event.name,
        operation: event.operation,
        code: event.code,
        consecutiveFailures: event.consecutiveFailures,
        source: 'fallback',
        err: event.error,
      };
      if (context.includeKeys) fields.key = event.key;
      context.throttled(event.name, {
        event: 'rate-limiter.store-error',
        fields,
        message: `rate limiter ${quoted(event.name)}: store ${event.operation} failed (${event.code}); the call was decided by the fallback (source "fallback")`,
      });
    },
    fallback: null,
    storeState(event: StoreStateEvent) {
      storeState(event);
    },
  };
  return { channels: RATE_LIMITER_CHANNELS, listeners };
}
