/** What `logEvents()` logs from `@rampart/rate-limiter` (subscribed by name, types only). */
import type {
  RateLimiterFallbackEvent,
  RateLimiterStoreErrorEvent,
  rateLimiterChannels,
} from '@rampart/rate-limiter';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';

/** The channel names, checked against the package's own `rateLimiterChannels` by the type. */
export const RATE_LIMITER_CHANNELS: typeof rateLimiterChannels = {
  decision: 'rampart:rate-limiter:decision',
  storeError: 'rampart:rate-limiter:store-error',
  fallback: 'rampart:rate-limiter:fallback',
};

const ANSWERS: Readonly<Record<RateLimiterFallbackEvent['policy'], string>> = {
  fallback: 'an in-memory limiter answers (per process)',
  allow: 'every call is allowed',
  deny: 'every call is denied',
};

/**
 * Logs the fallback engaging (`warn`) and recovering (`info`), and store errors (`warn`, at
 * most one line per limiter per interval). Decisions are per call and not logged; each line
 * says which `source` the limiter's decisions have meanwhile (`fallback` for a call whose
 * store call failed or was skipped, `store` once it recovered), as the metrics label them.
 */
export function logRateLimiter(context: LogEventsContext): PackageLogging {
  const engagedAt = new Map<string, number>();
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
    fallback(event: RateLimiterFallbackEvent) {
      const limiter = quoted(event.name);
      if (event.active) {
        if (!engagedAt.has(event.name)) engagedAt.set(event.name, context.clock.now());
        const fields: LogFields = {
          limiter: event.name,
          policy: event.policy,
          source: 'fallback',
          consecutiveFailures: event.consecutiveFailures,
          coolDownMs: event.coolDownMs,
        };
        if (event.code !== undefined) fields.code = event.code;
        if (event.error !== undefined) fields.err = event.error;
        context.emit({
          event: 'rate-limiter.fallback-engaged',
          fields,
          message: `rate limiter ${limiter} stopped calling its store after ${event.consecutiveFailures} failures in a row; ${ANSWERS[event.policy]}, with source "fallback", until a probe succeeds (every ${event.coolDownMs} ms)`,
        });
        return;
      }
      const since = engagedAt.get(event.name);
      engagedAt.delete(event.name);
      const fields: LogFields = { limiter: event.name, policy: event.policy, source: 'store' };
      if (since !== undefined) fields.fallbackForMs = roundedMs(context.clock.now() - since);
      context.emit({
        event: 'rate-limiter.fallback-recovered',
        fields,
        message: `rate limiter ${limiter} is using its store again (source "store")`,
      });
    },
  };
  return { channels: RATE_LIMITER_CHANNELS, listeners };
}
