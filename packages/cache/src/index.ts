/**
 * A two-tier cache (in-process memory in front of Redis) that never hangs and never
 * stampedes: single-flight loads, grace periods, soft and hard timeouts, deadlines and
 * cool-downs on every Redis call, W-TinyLFU eviction bounded by entries and bytes, and
 * events on `node:diagnostics_channel`. The Redis tier lives in `@rampart/cache/redis`.
 *
 * @packageDocumentation
 * @module @rampart/cache
 */
export type {
  Cache,
  CacheStats,
  CallOptions,
  Clock,
  Factory,
  FactoryContext,
  FactoryStats,
  GetOrSetOptions,
  L1Stats,
  L2State,
  L2Stats,
  SetOptions,
  WrapOptions,
} from './cache.ts';
export type { CacheOptions } from './cache-options.ts';
export type {
  CacheEventBase,
  CacheEvictionEvent,
  CacheFactoryEvent,
  CacheHitEvent,
  CacheL2ErrorEvent,
  CacheMissEvent,
  CacheStaleEvent,
  CacheTier,
  FactoryOutcome,
  L2Operation,
  StaleReason,
} from './channels.ts';
export { cacheChannels } from './channels.ts';
export { createCache } from './create-cache.ts';
export type { L2Record, L2Store } from './l2-store.ts';
export type { MemoryStore, MemoryStoreOptions } from './memory-store.ts';
export { memoryStore } from './memory-store.ts';
export type { CacheSerializer } from './serializer.ts';
export { jsonSerializer } from './serializer.ts';
