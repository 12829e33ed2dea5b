import { type Channel, channel } from 'node:diagnostics_channel';
import { isRampartError, type RampartError } from '@rampart/errors';
import {
  type CacheBusEvent,
  type CacheEvictionEvent,
  type CacheFactoryEvent,
  type CacheFencedEvent,
  type CacheHitEvent,
  type CacheL2ErrorEvent,
  type CacheLockEvent,
  type CacheMissEvent,
  type CacheReplayEvent,
  type CacheStaleEvent,
  type CacheTier,
  cacheChannels,
  type FactoryOutcome,
  type LockOutcome,
  type StaleReason,
} from '../channels.ts';

export const hitChannel: Channel = channel(cacheChannels.hit);
export const missChannel: Channel = channel(cacheChannels.miss);
export const staleChannel: Channel = channel(cacheChannels.stale);
export const factoryChannel: Channel = channel(cacheChannels.factory);
export const l2ErrorChannel: Channel = channel(cacheChannels.l2Error);
export const evictionChannel: Channel = channel(cacheChannels.eviction);
export const busChannel: Channel = channel(cacheChannels.bus);
export const lockChannel: Channel = channel(cacheChannels.lock);
export const fencedChannel: Channel = channel(cacheChannels.fenced);
export const replayChannel: Channel = channel(cacheChannels.replay);

/** The cache's running totals, read by `stats()`. */
export interface Counters {
  l1Hits: number;
  l1Misses: number;
  l2Hits: number;
  l2Misses: number;
  l2Errors: number;
  l2Timeouts: number;
  l2Skipped: number;
  misses: number;
  staleServed: number;
  coalesced: number;
  factoryCalls: number;
  factoryErrors: number;
  factoryTimeouts: number;
  evictions: number;
  busPublished: number;
  busReceived: number;
  busPublishErrors: number;
  lockAcquired: number;
  lockWaited: number;
  lockFallbacks: number;
  fencedWrites: number;
  earlyRefreshes: number;
  l2Replays: number;
}

/** Counters and event publishing of one cache; publishing is skipped without subscribers. */
export class Telemetry {
  readonly name: string;
  readonly namespace: string;
  readonly counters: Counters = {
    l1Hits: 0,
    l1Misses: 0,
    l2Hits: 0,
    l2Misses: 0,
    l2Errors: 0,
    l2Timeouts: 0,
    l2Skipped: 0,
    misses: 0,
    staleServed: 0,
    coalesced: 0,
    factoryCalls: 0,
    factoryErrors: 0,
    factoryTimeouts: 0,
    evictions: 0,
    busPublished: 0,
    busReceived: 0,
    busPublishErrors: 0,
    lockAcquired: 0,
    lockWaited: 0,
    lockFallbacks: 0,
    fencedWrites: 0,
    earlyRefreshes: 0,
    l2Replays: 0,
  };

  constructor(name: string, namespace: string) {
    this.name = name;
    this.namespace = namespace;
  }

  hit(key: string, tier: CacheTier, durationMs: number): void {
    if (tier === 'l1') this.counters.l1Hits += 1;
    else this.counters.l2Hits += 1;
    if (!hitChannel.hasSubscribers) return;
    const event: CacheHitEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      tier,
      durationMs,
    };
    hitChannel.publish(event);
  }

  miss(key: string, tier: CacheTier, durationMs: number): void {
    if (tier === 'l1') this.counters.l1Misses += 1;
    else this.counters.l2Misses += 1;
    if (!missChannel.hasSubscribers) return;
    const event: CacheMissEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      tier,
      durationMs,
    };
    missChannel.publish(event);
  }

  stale(
    key: string,
    tier: CacheTier,
    reason: StaleReason,
    staleForMs: number,
    error?: unknown,
  ): void {
    this.counters.staleServed += 1;
    if (!staleChannel.hasSubscribers) return;
    const event: CacheStaleEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      tier,
      reason,
      staleForMs,
      ...errorFields(error),
    };
    staleChannel.publish(event);
  }

  factory(
    key: string,
    outcome: FactoryOutcome,
    durationMs: number,
    background: boolean,
    error?: unknown,
  ): void {
    if (outcome === 'error') this.counters.factoryErrors += 1;
    else if (outcome === 'timeout') this.counters.factoryTimeouts += 1;
    if (!factoryChannel.hasSubscribers) return;
    const event: CacheFactoryEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      outcome,
      durationMs,
      background,
      ...errorFields(error),
    };
    factoryChannel.publish(event);
  }

  l2Error(event: Omit<CacheL2ErrorEvent, 'name' | 'namespace' | 'tier' | 'code'>): void {
    this.counters.l2Errors += 1;
    if (event.timedOut) this.counters.l2Timeouts += 1;
    if (!l2ErrorChannel.hasSubscribers) return;
    const payload: CacheL2ErrorEvent = {
      name: this.name,
      namespace: this.namespace,
      tier: 'l2',
      ...event,
      code: event.error.code,
    };
    l2ErrorChannel.publish(payload);
  }

  eviction(key: string, reason: CacheEvictionEvent['reason']): void {
    this.counters.evictions += 1;
    if (!evictionChannel.hasSubscribers) return;
    const event: CacheEvictionEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      tier: 'l1',
      reason,
    };
    evictionChannel.publish(event);
  }

  bus(
    state: CacheBusEvent['state'],
    extra: { downForMs?: number; error?: RampartError } = {},
  ): void {
    if (state === 'publish-failed') this.counters.busPublishErrors += 1;
    if (!busChannel.hasSubscribers) return;
    const event: CacheBusEvent = {
      name: this.name,
      namespace: this.namespace,
      state,
      ...(extra.downForMs === undefined ? {} : { downForMs: extra.downForMs }),
      ...(extra.error === undefined ? {} : { error: extra.error, code: extra.error.code }),
    };
    busChannel.publish(event);
  }

  lock(key: string, outcome: LockOutcome, waitedMs = 0): void {
    if (outcome === 'acquired') this.counters.lockAcquired += 1;
    else if (outcome === 'waited') this.counters.lockWaited += 1;
    else if (outcome === 'unavailable') this.counters.lockFallbacks += 1;
    if (!lockChannel.hasSubscribers) return;
    const event: CacheLockEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      outcome,
      waitedMs,
    };
    lockChannel.publish(event);
  }

  replay(event: Omit<CacheReplayEvent, 'name' | 'namespace'>): void {
    this.counters.l2Replays += 1;
    if (!replayChannel.hasSubscribers) return;
    const payload: CacheReplayEvent = { name: this.name, namespace: this.namespace, ...event };
    replayChannel.publish(payload);
  }

  fenced(key: string, tier: CacheFencedEvent['tier'], reason: CacheFencedEvent['reason']): void {
    this.counters.fencedWrites += 1;
    if (!fencedChannel.hasSubscribers) return;
    const event: CacheFencedEvent = {
      name: this.name,
      namespace: this.namespace,
      key,
      tier,
      reason,
    };
    fencedChannel.publish(event);
  }
}

function errorFields(error: unknown): { error?: unknown; code?: string } {
  if (error === undefined) return {};
  return isRampartError(error) ? { error, code: error.code } : { error };
}
