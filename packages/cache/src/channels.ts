import type { RampartError } from '@rampart/errors';

/**
 * Names of the `node:diagnostics_channel` channels the cache publishes on. Publishing is
 * skipped while a channel has no subscriber, so an unobserved cache pays nothing.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { cacheChannels, type CacheHitEvent } from '@rampart/cache';
 *
 * subscribe(cacheChannels.hit, (message) => {
 *   const event = message as CacheHitEvent;
 *   hits.inc({ cache: event.name, tier: event.tier });
 * });
 * ```
 */
export const cacheChannels: {
  /** A lookup found a fresh value in a tier: {@link CacheHitEvent}. */
  readonly hit: 'rampart:cache:hit';
  /** A lookup found no fresh value in a tier: {@link CacheMissEvent}. */
  readonly miss: 'rampart:cache:miss';
  /** A caller was served a value past its TTL, within grace: {@link CacheStaleEvent}. */
  readonly stale: 'rampart:cache:stale';
  /** A factory call ended: {@link CacheFactoryEvent}. */
  readonly factory: 'rampart:cache:factory';
  /** An L2 call failed or ran past its deadline: {@link CacheL2ErrorEvent}. */
  readonly l2Error: 'rampart:cache:l2-error';
  /** L1 dropped an entry to stay within its bounds: {@link CacheEvictionEvent}. */
  readonly eviction: 'rampart:cache:eviction';
  /** The bus connected, disconnected, or failed to publish: {@link CacheBusEvent}. */
  readonly bus: 'rampart:cache:bus';
  /** A load took, waited for, lost or could not reach a distributed lock: {@link CacheLockEvent}. */
  readonly lock: 'rampart:cache:lock';
  /** A load's result was not written because its key or a tag was invalidated meanwhile: {@link CacheFencedEvent}. */
  readonly fenced: 'rampart:cache:fenced';
  /**
   * L2's guard changed state (`healthy`, `cooling-down`, `probing`): a
   * {@link @rampart/redis!StoreStateEvent | StoreStateEvent}, the same payload as the rate
   * limiter's `storeState` channel.
   */
  readonly storeState: 'rampart:cache:store-state';
  /**
   * Keys and tags written or deleted while L2 was skipped were invalidated in L2 and on the
   * bus, or the namespace was cleared instead: {@link CacheReplayEvent}.
   */
  readonly replay: 'rampart:cache:replay';
} = Object.freeze({
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
});

/** A cache tier: `l1` (memory, in process) or `l2` (shared, e.g. Redis). */
export type CacheTier = 'l1' | 'l2';

/**
 * An L2 operation, as named in {@link CacheL2ErrorEvent}: the core calls, batch reads and
 * writes (`read-many`, `write-many`), tag versions (`tag-versions`, `invalidate-tags`) and
 * the distributed lock's lease (`lease`).
 */
export type L2Operation =
  | 'get'
  | 'set'
  | 'delete'
  | 'clear'
  | 'ping'
  | 'read-many'
  | 'write-many'
  | 'tag-versions'
  | 'invalidate-tags'
  | 'lease'
  | 'replay';

/** Fields every cache event carries. */
export interface CacheEventBase {
  /** The cache's `name` (defaults to its namespace): a low-cardinality label. */
  readonly name: string;
  /** The cache's namespace. */
  readonly namespace: string;
  /** The key concerned. High cardinality: log it, do not label metrics with it. */
  readonly key: string;
}

/**
 * Payload of {@link cacheChannels}.hit.
 *
 * @group Events
 */
export interface CacheHitEvent extends CacheEventBase {
  /** The tier that had the value. */
  readonly tier: CacheTier;
  /** How long the lookup in that tier took, in milliseconds. */
  readonly durationMs: number;
}

/**
 * Payload of {@link cacheChannels}.miss.
 *
 * @group Events
 */
export interface CacheMissEvent extends CacheEventBase {
  /** The tier that had no fresh value. */
  readonly tier: CacheTier;
  /** How long the lookup in that tier took, in milliseconds. */
  readonly durationMs: number;
}

/** Why a caller was served a stale value. */
export type StaleReason = 'factory-error' | 'soft-timeout' | 'hard-timeout' | 'backoff' | 'locked';

/**
 * Payload of {@link cacheChannels}.stale: one per caller served a stale value.
 *
 * @group Events
 */
export interface CacheStaleEvent extends CacheEventBase {
  /** The tier the stale value came from. */
  readonly tier: CacheTier;
  /**
   * `factory-error`: the factory failed; `soft-timeout`: it is still running after
   * `softTimeoutMs`; `hard-timeout`: it was aborted after `hardTimeoutMs`; `backoff`: a
   * refresh failed less than `graceBackoffMs` ago, so none is tried; `locked`: another
   * instance holds the key's distributed lock and is refreshing it.
   */
  readonly reason: StaleReason;
  /** How long ago the value expired, in milliseconds. */
  readonly staleForMs: number;
  /** The factory's error, for `factory-error`. */
  readonly error?: unknown;
  /** The Rampart `code` of {@link CacheStaleEvent.error}, when it has one. */
  readonly code?: string;
}

/** How a factory call ended. */
export type FactoryOutcome = 'success' | 'error' | 'timeout' | 'aborted';

/**
 * Payload of {@link cacheChannels}.factory: one per factory call.
 *
 * @group Events
 */
export interface CacheFactoryEvent extends CacheEventBase {
  /**
   * `success`; `error`: it threw or rejected; `timeout`: `hardTimeoutMs` passed first;
   * `aborted`: every caller gave up, or the cache was closed.
   */
  readonly outcome: FactoryOutcome;
  /** From the factory's start to its end (or to the timeout or abort), in milliseconds. */
  readonly durationMs: number;
  /** Whether no caller was waiting for it any more (it ran on after a soft timeout). */
  readonly background: boolean;
  /** The error, for `error` and `timeout`. */
  readonly error?: unknown;
  /** The Rampart `code` of {@link CacheFactoryEvent.error}, when it has one. */
  readonly code?: string;
}

/**
 * Payload of {@link cacheChannels}.l2Error: one per failed or timed-out L2 call.
 *
 * @group Events
 */
export interface CacheL2ErrorEvent {
  /** The cache's `name`. */
  readonly name: string;
  /** The cache's namespace. */
  readonly namespace: string;
  /** Always `l2`. */
  readonly tier: 'l2';
  /** The key concerned; the first key for a multi-key delete; absent for `clear` and `ping`. */
  readonly key?: string;
  /** The operation that failed. */
  readonly operation: L2Operation;
  /** From the call to its failure or deadline, in milliseconds. */
  readonly durationMs: number;
  /**
   * What went wrong, never a raw client error: a `TimeoutError` (`E_TIMEOUT`) past
   * `storeGuard.timeoutMs`, an `UnavailableError` (`E_UNAVAILABLE`) wrapping the client's error as
   * `cause`, or an `InternalError` (`E_INTERNAL`) for a record that cannot be decoded.
   */
  readonly error: RampartError;
  /** The error's code. */
  readonly code: string;
  /** Whether the deadline passed. */
  readonly timedOut: boolean;
  /** Whether L2 is now cooling down: calls skip it until a probe succeeds. */
  readonly coolingDown: boolean;
}

/**
 * Payload of {@link cacheChannels}.eviction: one per entry L1 dropped to respect its bounds.
 *
 * @group Events
 */
export interface CacheEvictionEvent extends CacheEventBase {
  /** Always `l1`. */
  readonly tier: 'l1';
  /**
   * `capacity`: a held entry made room for a more frequently used one; `rejected`: a new
   * entry was not admitted (used less often than what it would replace, or larger than
   * `maxBytes`).
   */
  readonly reason: 'capacity' | 'rejected';
}

/**
 * Payload of {@link cacheChannels}.bus.
 *
 * @group Events
 */
export interface CacheBusEvent {
  /** The cache's `name`. */
  readonly name: string;
  /** The cache's namespace. */
  readonly namespace: string;
  /**
   * `connected`: the subscription is active (again; L1 was flushed); `disconnected`: it stopped
   * receiving, so L1 serves entries for at most `busDownTtlMs`; `publish-failed`: a message
   * could not be published (it is retried).
   */
  readonly state: 'connected' | 'disconnected' | 'publish-failed';
  /** For `connected` after an outage: how long the bus was down, in milliseconds. */
  readonly downForMs?: number;
  /** For `publish-failed`: what went wrong, a Rampart error. */
  readonly error?: RampartError;
  /** The Rampart `code` of {@link CacheBusEvent.error}. */
  readonly code?: string;
}

/** How a load dealt with the distributed lock. */
export type LockOutcome = 'acquired' | 'waited' | 'lost' | 'unavailable';

/**
 * Payload of {@link cacheChannels}.lock.
 *
 * @group Events
 */
export interface CacheLockEvent extends CacheEventBase {
  /**
   * `acquired`: this load took the lease and runs the factory; `waited`: another instance
   * held it, and this load got the value it produced (or took over after the lease
   * expired); `lost`: the lease could not be renewed while the factory ran; `unavailable`:
   * L2 could not be reached, so the load fell back to the per-process single flight.
   */
  readonly outcome: LockOutcome;
  /** For `waited`: how long the load waited, in milliseconds. */
  readonly waitedMs: number;
}

/**
 * Payload of {@link cacheChannels}.fenced: a load's result not written to a tier.
 *
 * @group Events
 */
export interface CacheFencedEvent extends CacheEventBase {
  /** The tier the write was refused in. */
  readonly tier: CacheTier;
  /**
   * `key`: the key was written or deleted after the load started; `tag`: one of its tags
   * was invalidated after the load started.
   */
  readonly reason: 'key' | 'tag';
}

/**
 * Payload of {@link cacheChannels}.replay: L2 came back (or a failed write was followed by a
 * success) and the cache made it forget what changed while it was not reached, before using
 * it again.
 *
 * @group Events
 */
export interface CacheReplayEvent {
  /** The cache's `name`. */
  readonly name: string;
  /** The cache's namespace. */
  readonly namespace: string;
  /** Keys deleted in L2 and published on the bus (0 when the namespace was cleared). */
  readonly keys: number;
  /** Tags given new versions in L2 and published on the bus (0 when cleared). */
  readonly tags: number;
  /**
   * Whether more keys and tags were missed than the journal holds (10 000): the namespace
   * was then cleared instead.
   */
  readonly overflowed: boolean;
  /** Whether the namespace was cleared (a missed `clear`, or an overflow). */
  readonly cleared: boolean;
}
