/** What `logEvents()` logs from `@rampart/cache` (subscribed by name, types only). */
import type {
  CacheBusEvent,
  CacheHitEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheMissEvent,
  cacheChannels,
} from '@rampart/cache';
import {
  type ChannelListeners,
  type LogEventsContext,
  type LogFields,
  type PackageLogging,
  quoted,
  roundedMs,
} from './log-events-context.ts';

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
};

/**
 * Logs L2 going down (`warn`: an `l2-error` that starts a cool-down of a cache whose L2 was
 * up) and coming back (`info`: the next L2 hit or miss of that cache, the cache publishing
 * no recovery event of its own), the invalidation bus disconnecting (`warn`), reconnecting
 * (`info`) and failing to publish (`warn`, throttled), and lost lock leases (`warn`,
 * throttled). Hits and misses are subscribed to only while some L2 is down, so a healthy
 * cache pays nothing for them; other per-call events are not logged.
 */
export function logCache(context: LogEventsContext): PackageLogging {
  /** Caches whose L2 is down, and since when. */
  const downSince = new Map<string, number>();
  let stopWatching: (() => void) | undefined;

  const answered = (event: CacheHitEvent | CacheMissEvent): void => {
    if (event.tier !== 'l2') return;
    const since = downSince.get(event.name);
    if (since === undefined) return;
    downSince.delete(event.name);
    if (downSince.size === 0) {
      stopWatching?.();
      stopWatching = undefined;
    }
    context.emit({
      event: 'cache.l2-up',
      fields: { cache: event.name, downForMs: roundedMs(context.clock.now() - since) },
      message: `cache ${quoted(event.name)}: L2 is answering again`,
    });
  };

  const watchRecovery = (): void => {
    if (stopWatching !== undefined) return;
    const listener = (message: unknown): void => answered(message as CacheHitEvent);
    const stopHits = context.watch(CACHE_CHANNELS.hit, listener);
    const stopMisses = context.watch(CACHE_CHANNELS.miss, listener);
    stopWatching = () => {
      stopHits();
      stopMisses();
    };
  };

  const listeners: ChannelListeners<typeof cacheChannels> = {
    hit: null,
    miss: null,
    stale: null,
    factory: null,
    l2Error(event: CacheL2ErrorEvent) {
      if (!event.coolingDown || downSince.has(event.name)) return;
      downSince.set(event.name, context.clock.now());
      watchRecovery();
      const fields: LogFields = {
        cache: event.name,
        operation: event.operation,
        code: event.code,
        timedOut: event.timedOut,
        err: event.error,
      };
      if (context.includeKeys && event.key !== undefined) fields.key = event.key;
      context.emit({
        event: 'cache.l2-down',
        fields,
        message: `cache ${quoted(event.name)}: L2 is down (${event.operation} failed with ${event.code}); calls skip it until a probe succeeds`,
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
  };
  return { channels: CACHE_CHANNELS, listeners };
}
