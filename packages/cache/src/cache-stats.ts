import type { StoreHealth, StoreState } from '@rampart/redis';

/**
 * Health of the L2 tier: `healthy` (calls reach it), `cooling-down` (calls skip it after
 * repeated failures) or `probing` (one probe decides whether it is back).
 * @deprecated Use {@link @rampart/redis!StoreState | StoreState}, the same type, shared with
 *   the rate limiter.
 */
export type L2State = StoreState;

/** L1 figures in {@link CacheStats}. */
export interface L1Stats {
  /** Lookups that found a fresh value in L1. */
  readonly hits: number;
  /** Lookups that did not (absent, or only stale). */
  readonly misses: number;
  /** Entries held, including expired ones not yet collected. */
  readonly entries: number;
  /** Approximate bytes held. */
  readonly bytes: number;
  /** Entries dropped or not admitted to respect `maxEntries` / `maxBytes`. */
  readonly evictions: number;
}

/** L2 figures in {@link CacheStats}. */
export interface L2Stats {
  /** L2 lookups that found a fresh value (one per load, not per coalesced caller). */
  readonly hits: number;
  /** L2 lookups that did not. */
  readonly misses: number;
  /** Failed L2 calls, timeouts included. */
  readonly errors: number;
  /** L2 calls that ran past `storeGuard.timeoutMs`. */
  readonly timeouts: number;
  /** L2 calls skipped because L2 was cooling down. */
  readonly skipped: number;
  /**
   * `absent` without an L2; else whether calls reach it (`healthy`), skip it, or one probes
   * it. Current without a call: a store with `ping` is probed on a timer.
   */
  readonly state: StoreState | 'absent';
  /** L2's full health (the same shape as `limiter.state()`), `undefined` without an L2. */
  readonly health: StoreHealth | undefined;
  /**
   * Times the keys and tags written or deleted while L2 was not reached were invalidated in
   * L2 (or its namespace cleared) before it was used again.
   */
  readonly replays: number;
}

/** Factory figures in {@link CacheStats}. */
export interface FactoryStats {
  /** Factory calls started. */
  readonly calls: number;
  /** Calls that threw or rejected. */
  readonly errors: number;
  /** Calls aborted by `hardTimeoutMs`. */
  readonly timeouts: number;
}

/** Bus figures in {@link CacheStats}. */
export interface BusStats {
  /** `absent` without a bus; else whether messages are being received (`connected`) or not. */
  readonly state: 'connected' | 'disconnected' | 'absent';
  /** Messages published (invalidations sent). */
  readonly published: number;
  /** Messages received from other instances. */
  readonly received: number;
  /** Publishes that failed or timed out (each is retried). */
  readonly publishErrors: number;
}

/** Distributed lock figures in {@link CacheStats}. */
export interface LockStats {
  /** Leases taken: this instance called the factory. */
  readonly acquired: number;
  /** Loads that waited for another instance's lease and got its value. */
  readonly waited: number;
  /** Loads that could not reach L2 for the lease and fell back to the per-process lock. */
  readonly fallbacks: number;
}

/** One snapshot of a cache's counters across tiers, from {@link Cache.stats}. */
export interface CacheStats {
  /** L1 lookups, size and evictions. */
  readonly l1: L1Stats;
  /** L2 lookups, failures and health. */
  readonly l2: L2Stats;
  /** Lookups no tier could answer with a fresh value (a `get` returning `undefined`, a load that ran the factory). */
  readonly misses: number;
  /** Callers served a stale value within grace. */
  readonly staleServed: number;
  /** Callers that joined a load already in flight instead of starting one. */
  readonly coalesced: number;
  /** Factory calls and how they failed. */
  readonly factory: FactoryStats;
  /** The bus: its state and messages. */
  readonly bus: BusStats;
  /** The distributed lock. */
  readonly lock: LockStats;
  /** Load results not written because their key or a tag was invalidated during the load. */
  readonly fencedWrites: number;
  /** Background refreshes started before expiry (`earlyRefresh`). */
  readonly earlyRefreshes: number;
}
