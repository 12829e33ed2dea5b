import type { RateLimitDecision } from '../decision.ts';
import { createAgeQueue } from './age-queue.ts';
import { agedDecision } from './decisions.ts';

interface Blocked {
  /** Local time at which the call that was rejected started. */
  readonly at: number;
  /** Until when the key stays blocked, local time. */
  readonly until: number;
  /** Calls costing at least this much are blocked. */
  readonly cost: number;
  readonly decision: RateLimitDecision;
}

/** Keys the store rejected, answered locally until their retry time. */
export interface BlockCache {
  /** The cached rejection for `cost` units at `now`, or `undefined` to ask the store. */
  get(key: string, cost: number, now: number): RateLimitDecision | undefined;
  /** Remembers a rejection made for a call that started at `at`. */
  set(key: string, decision: RateLimitDecision, at: number): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

/**
 * A bounded map of blocked keys. Times are measured from when the rejected call *started*,
 * so local answers never outlast the store's own retry time: a key is unblocked at worst a
 * round trip early, and that call simply asks the store again. A call costing less than the
 * rejected one is not answered here (it may fit).
 */
export function createBlockCache(maxKeys: number): BlockCache {
  const entries = new Map<string, Blocked>();
  const ages = createAgeQueue<{ readonly key: string; readonly blocked: Blocked }>(
    ({ key, blocked }) => entries.get(key) === blocked,
    () => entries.size,
  );
  return {
    get(key, cost, now) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (now >= entry.until) {
        entries.delete(key);
        return undefined;
      }
      if (cost < entry.cost) return undefined;
      return agedDecision(entry.decision, now - entry.at, cost, 'block-cache');
    },
    set(key, decision, at) {
      if (decision.retryAfterMs <= 0) return;
      if (!entries.has(key) && entries.size >= maxKeys) {
        // The oldest entry: usually unblocked already, else the key blocked longest ago.
        const oldest = ages.shiftLive();
        if (oldest !== undefined) entries.delete(oldest.key);
      }
      const blocked: Blocked = {
        at,
        until: at + decision.retryAfterMs,
        cost: decision.cost,
        decision,
      };
      entries.set(key, blocked);
      ages.push({ key, blocked });
    },
    delete(key) {
      entries.delete(key);
    },
    clear() {
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}
