/**
 * A two-tier cache (in-process memory in front of Redis) that never hangs and never
 * stampedes: single-flight loads (per process, or across instances with a distributed
 * lock), grace periods, soft and hard timeouts, deadlines and cool-downs on every Redis
 * call, W-TinyLFU eviction bounded by entries and bytes, an invalidation bus, tags, batches,
 * fenced writes, early refresh, and events on `node:diagnostics_channel`. The Redis tier and
 * bus live in `@rampart/cache/redis`.
 *
 * @example
 * ```ts
 * import { createCache } from '@rampart/cache';
 *
 * const products = createCache({ name: 'products', ttlMs: 60_000, graceMs: 600_000 });
 * const product = await products.getOrSet('product:1', ({ signal }) => loadProduct('1', signal));
 * ```
 *
 * @packageDocumentation
 * @module @rampart/cache
 */

export type { StoreGuardSettings, StoreHealth, StoreState, StoreStateEvent } from '@rampart/redis';
export type { CacheBus, CacheBusHandlers, CacheBusSubscription } from './bus.ts';
export type {
  Cache,
  CallOptions,
  Clock,
  DeleteByTagOptions,
  Factory,
  FactoryContext,
  GetOrSetManyOptions,
  GetOrSetOptions,
  ManyFactory,
  ManyFactoryContext,
  ManyValues,
  SetOptions,
  WrapOptions,
} from './cache.ts';
export type {
  CacheOptions,
  DistributedLockOptions,
  EarlyRefreshOptions,
} from './cache-options.ts';
export type {
  BusStats,
  CacheStats,
  FactoryStats,
  L1Stats,
  L2State,
  L2Stats,
  LockStats,
} from './cache-stats.ts';
export type {
  CacheBusEvent,
  CacheEventBase,
  CacheEvictionEvent,
  CacheFactoryEvent,
  CacheFencedEvent,
  CacheHitEvent,
  CacheL2ErrorEvent,
  CacheLockEvent,
  CacheMissEvent,
  CacheReplayEvent,
  CacheStaleEvent,
  CacheTier,
  FactoryOutcome,
  L2Operation,
  LockOutcome,
  StaleReason,
} from './channels.ts';
export { cacheChannels } from './channels.ts';
export { createCache } from './create-cache.ts';
export type { L2Read, L2Record, L2Store, L2TagVersion, L2Write } from './l2-store.ts';
export type { MemoryStore, MemoryStoreOptions } from './memory-store.ts';
export { memoryStore } from './memory-store.ts';
export type { CacheSerializer } from './serializer.ts';
export { jsonSerializer } from './serializer.ts';
