/** What `logEvents()` logs from `@rampart/cache` (subscribed by name, types only). */
import type {
  CacheBusEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheReplayEvent,
  cacheChannels,
  StoreStateEvent,
} from '@rampart/cache';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';
import { cacheL2, storeStateLogger } from './log-events-store-state.ts';

/** The channel names, checked against the package's own `cacheChannels` by the type. */
export const CACHE_CHANNELS: typeof cacheChannels = {
  hit: 'rampart:cache:hit',
  miss: 'rampart:cache:miss',
  stale: 'rampart:cache:stale',
  factory: 'rampart:cache:factory',
  l2Error: 'rampart:cache:l2-error',
  eviction: 'rampart:cache:eviction',
  bus: 'rampart:cache:bus',
  lock: 'rampart:cache:lock',
  fenced: 'rampart:cache:fenced',
  storeState: 'rampart:cache:store-state',
  replay: 'rampart:cache:replay',
};

/**
 * Logs L2 going down (`warn`) and coming back (`info`, with how long it was down) from the
 * `store-state` channel, worded as a rate limiter's store; L2 errors (`warn`, at most one
 * line per cache per interval); replays of the writes L2 missed (`info`, or `warn` when the
 * journal overflowed and the namespace was cleared); the invalidation bus disconnecting
 * (`warn`), reconnecting (`info`) and failing to publish (`warn`, throttled); and lost lock
 * leases (`warn`, throttled). Other per-call events are not logged.
 */
export function logCache(context: LogEventsContext): PackageLogging {
  const storeState = storeStateLogger(context, {
    down: 'cache.l2-down',
    up: 'cache.l2-up',
    field: 'cache',
    describe: cacheL2,
    downForField: 'downForMs',
  });

  const listeners: ChannelListeners<typeof cacheChannels> = {
    hit: null,
    miss: null,
    stale: null,
    factory: null,
    l2Error(event: CacheL2ErrorEvent) {
      const fields: LogFields = {
        cache: event.name,
        operation: event.operation,
        code: event.code,
        timedOut: event.timedOut,
        err: event.error,
      };
      if (context.includeKeys && event.key !== undefined) fields.key = event.key;
      context.throttled(event.name, {
        event: 'cache.l2-error',
        fields,
        message: `cache ${quoted(event.name)}: L2 ${event.operation} failed (${event.code})`,
      });
    },
    eviction: null,
    bus(event: CacheBusEvent) {
      const cache = quoted(event.name);
      if (event.state === 'disconnected') {
        context.emit({
          event: 'cache.bus-disconnected',
          fields: { cache: event.name },
          message: `cache ${cache}: invalidation bus disconnected; L1 entries are kept only briefly until it is back`,
        });
      } else if (event.state === 'connected') {
        // The first connection is routine; a reconnection after an outage says how long it lasted.
        if (event.downForMs === undefined) return;
        context.emit({
          event: 'cache.bus-reconnected',
          fields: { cache: event.name, downForMs: roundedMs(event.downForMs) },
          message: `cache ${cache}: invalidation bus reconnected; L1 was flushed`,
        });
      } else {
        const fields: LogFields = { cache: event.name };
        if (event.code !== undefined) fields.code = event.code;
        if (event.error !== undefined) fields.err = event.error;
        context.throttled(event.name, {
          event: 'cache.bus-publish-failed',
          fields,
          message: `cache ${cache}: an invalidation could not be published (it is retried)`,
        });
      }
    },
    lock(event: CacheLockEvent) {
      if (event.outcome !== 'lost') return;
      const fields: LogFields = { cache: event.name };
      if (context.includeKeys) fields.key = event.key;
      context.throttled(event.name, {
        event: 'cache.lock-lost',
        fields,
        message: `cache ${quoted(event.name)}: a load lost its distributed lock while the factory ran; another instance may load the same key`,
      });
    },
    fenced: null,
    storeState(event: StoreStateEvent) {
      storeState(event);
    },
    replay(event: CacheReplayEvent) {
      const fields: LogFields = {
        cache: event.name,
        keys: event.keys,
        tags: event.tags,
        cleared: event.cleared,
      };
      if (event.overflowed) {
        context.emit({
          event: 'cache.l2-journal-overflowed',
          fields,
          message: `cache ${quoted(event.name)}: more keys changed while L2 was skipped than the journal holds; the namespace was cleared in L2 instead`,
        });
        return;
      }
      context.emit({
        event: 'cache.l2-replayed',
        fields,
        message: event.cleared
          ? `cache ${quoted(event.name)}: a clear made while L2 was skipped was replayed`
          : `cache ${quoted(event.name)}: ${event.keys} keys and ${event.tags} tags changed while L2 was skipped were invalidated in L2`,
      });
    },
  };
  return { channels: CACHE_CHANNELS, listeners };
}
