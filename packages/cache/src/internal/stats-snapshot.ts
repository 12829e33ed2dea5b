import type { CacheStats } from '../cache-stats.ts';
import type { Components } from './components.ts';

/** One snapshot of a cache's counters across tiers, the bus and the lock. */
export function snapshotStats(parts: Components): CacheStats {
  const { telemetry, l1, guard, link } = parts;
  const counters = telemetry.counters;
  return {
    l1: {
      hits: counters.l1Hits,
      misses: counters.l1Misses,
      entries: l1?.size ?? 0,
      bytes: l1?.bytes ?? 0,
      evictions: counters.evictions,
    },
    l2: {
      hits: counters.l2Hits,
      misses: counters.l2Misses,
      errors: counters.l2Errors,
      timeouts: counters.l2Timeouts,
      skipped: counters.l2Skipped,
      state: guard?.state ?? 'absent',
      health: guard?.health(),
      replays: counters.l2Replays,
    },
    misses: counters.misses,
    staleServed: counters.staleServed,
    coalesced: counters.coalesced,
    factory: {
      calls: counters.factoryCalls,
      errors: counters.factoryErrors,
      timeouts: counters.factoryTimeouts,
    },
    bus: {
      state: link.state === 'none' ? 'absent' : link.state === 'up' ? 'connected' : 'disconnected',
      published: counters.busPublished,
      received: counters.busReceived,
      publishErrors: counters.busPublishErrors,
    },
    lock: {
      acquired: counters.lockAcquired,
      waited: counters.lockWaited,
      fallbacks: counters.lockFallbacks,
    },
    fencedWrites: counters.fencedWrites,
    earlyRefreshes: counters.earlyRefreshes,
  };
}
