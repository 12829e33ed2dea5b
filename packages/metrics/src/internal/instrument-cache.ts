/** What `instrument()` records from `@rampart/cache`'s channels (subscribed by name, types only). */
import type {
  CacheBusEvent,
  CacheEvictionEvent,
  CacheFactoryEvent,
  CacheFencedEvent,
  CacheHitEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheMissEvent,
  CacheStaleEvent,
  cacheChannels,
} from '@rampart/cache';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { conditionGauge, secondsOf } from './instrument-recorder.ts';

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

export function instrumentCache(recorder: Recorder): PackageInstrumentation {
  const hits = recorder.counter({
    name: names.cacheHits,
    help: 'Cache lookups that found a fresh value, by tier.',
    labelNames: ['tier'],
  });
  const misses = recorder.counter({
    name: names.cacheMisses,
    help: 'Cache lookups that found no fresh value, by tier.',
    labelNames: ['tier'],
  });
  const staleServed = recorder.counter({
    name: names.cacheStaleServed,
    help: 'Callers served a stale value within grace, by why.',
    labelNames: ['reason'],
  });
  const factoryDuration = recorder.histogram({
    name: names.cacheFactoryDuration,
    help: 'Duration of cache factory calls, by how they ended, in seconds.',
    labelNames: ['outcome'],
  });
  const l2Errors = recorder.counter({
    name: names.cacheL2Errors,
    help: 'L2 calls that failed or missed their deadline, by operation and error.',
    labelNames: ['operation', 'error_type'],
  });
  const l2CoolingDown = conditionGauge(recorder, {
    name: names.cacheL2CoolingDown,
    help: '1 while L2 cools down after failures (calls skip it), 0 once it answered again.',
    labelNames: [],
  });
  const evictions = recorder.counter({
    name: names.cacheEvictions,
    help: 'Entries L1 dropped (capacity) or did not admit (rejected) to stay within its bounds.',
    labelNames: ['reason'],
  });
  const busConnected = recorder.gauge({
    name: names.cacheBusConnected,
    help: '1 while the cache invalidation bus is connected, 0 while it is down (L1 entries then live at most busDownTtlMs).',
    labelNames: [],
  });
  const busEvents = recorder.counter({
    name: names.cacheBusEvents,
    help: 'Cache invalidation bus events: connected, disconnected, publish-failed.',
    labelNames: ['state'],
  });
  const lockOutcomes = recorder.counter({
    name: names.cacheLockOutcomes,
    help: 'How cache loads dealt with the distributed lock: acquired, waited, lost, unavailable.',
    labelNames: ['outcome'],
  });
  const lockWait = recorder.histogram({
    name: names.cacheLockWait,
    help: "How long cache loads waited for another instance's lock, in seconds.",
    labelNames: [],
  });
  const fencedWrites = recorder.counter({
    name: names.cacheFencedWrites,
    help: 'Cache load results not written to a tier because the key or a tag was invalidated meanwhile.',
    labelNames: ['tier', 'reason'],
  });
  /** L2 answered: a cache cooling down has recovered (the cache publishes no event of its own). */
  const answeredFromL2 = (name: string): void => {
    if (l2CoolingDown.any && l2CoolingDown.has(name)) l2CoolingDown.set(name, false);
  };

  const listeners: ChannelListeners<typeof cacheChannels> = {
    hit(event: CacheHitEvent) {
      hits(event.name, { tier: event.tier });
      if (event.tier === 'l2') answeredFromL2(event.name);
    },
    miss(event: CacheMissEvent) {
      misses(event.name, { tier: event.tier });
      if (event.tier === 'l2') answeredFromL2(event.name);
    },
    stale(event: CacheStaleEvent) {
      staleServed(event.name, { reason: event.reason });
    },
    factory(event: CacheFactoryEvent) {
      factoryDuration(event.name, { outcome: event.outcome }, secondsOf(event.durationMs));
    },
    l2Error(event: CacheL2ErrorEvent) {
      l2Errors(event.name, { operation: event.operation, error_type: event.code });
      if (event.coolingDown) l2CoolingDown.set(event.name, true);
    },
    eviction(event: CacheEvictionEvent) {
      evictions(event.name, { reason: event.reason });
    },
    bus(event: CacheBusEvent) {
      busEvents(event.name, { state: event.state });
      if (event.state !== 'publish-failed') {
        busConnected(event.name, {}, event.state === 'connected' ? 1 : 0);
      }
    },
    lock(event: CacheLockEvent) {
      lockOutcomes(event.name, { outcome: event.outcome });
      if (event.outcome === 'waited') lockWait(event.name, {}, secondsOf(event.waitedMs));
    },
    fenced(event: CacheFencedEvent) {
      fencedWrites(event.name, { tier: event.tier, reason: event.reason });
    },
  };
  return { channels: CACHE_CHANNELS, listeners };
}
