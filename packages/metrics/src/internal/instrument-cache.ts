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
  CacheReplayEvent,
  CacheStaleEvent,
  cacheChannels,
  StoreStateEvent,
} from '@rampart/cache';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';
import { conditionGauge, secondsOf } from './instrument-recorder.ts';
import { storeStateMetrics } from './instrument-store-state.ts';

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
    help: '1 while L2 cools down after failures or is being probed (calls skip it or wait for the probe), 0 once healthy.',
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
  const l2State = storeStateMetrics(recorder, {
    state: names.cacheL2State,
    transitions: names.cacheL2StateTransitions,
    subject: 'the cache L2',
  });
  const l2Replays = recorder.counter({
    name: names.cacheL2Replays,
    help: 'Replays of the writes L2 missed while skipped: replayed (keys and tags invalidated) or cleared (the namespace).',
    labelNames: ['outcome'],
  });

  const listeners: ChannelListeners<typeof cacheChannels> = {
    hit(event: CacheHitEvent) {
      hits(event.name, { tier: event.tier });
    },
    miss(event: CacheMissEvent) {
      misses(event.name, { tier: event.tier });
    },
    stale(event: CacheStaleEvent) {
      staleServed(event.name, { reason: event.reason });
    },
    factory(event: CacheFactoryEvent) {
      factoryDuration(event.name, { outcome: event.outcome }, secondsOf(event.durationMs));
    },
    l2Error(event: CacheL2ErrorEvent) {
      l2Errors(event.name, { operation: event.operation, error_type: event.code });
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
    storeState(event: StoreStateEvent) {
      l2State(event);
      l2CoolingDown.set(event.name, event.to !== 'healthy');
    },
    replay(event: CacheReplayEvent) {
      l2Replays(event.name, { outcome: event.cleared ? 'cleared' : 'replayed' });
    },
  };
  return { channels: CACHE_CHANNELS, listeners };
}
