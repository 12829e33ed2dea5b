import type { CacheEntry } from './entry.ts';
import { hitChannel, missChannel, type Telemetry } from './telemetry.ts';
import type { EntryState, Tiers } from './tiers.ts';

/**
 * What L1 says about a key: a fresh value (`hit`), a stale value to serve at once (`backoff`:
 * a refresh failed or another instance is refreshing, so none is tried yet), a stale
 * fallback for the load (`stale`), or nothing usable (`miss`).
 */
export type L1Answer =
  | { readonly kind: 'hit'; readonly entry: CacheEntry }
  | { readonly kind: 'backoff'; readonly entry: CacheEntry }
  | { readonly kind: 'stale'; readonly entry: CacheEntry }
  | { readonly kind: 'miss' };

const MISS: L1Answer = { kind: 'miss' };

/**
 * Looks `key` up in L1 and publishes the L1 hit or miss. Synchronous unless the entry's tag
 * versions must first be read (then a promise).
 */
export function readL1(
  tiers: Tiers,
  telemetry: Telemetry,
  key: string,
  now: () => number,
  allowStale: boolean,
  signal: AbortSignal | undefined,
): L1Answer | Promise<L1Answer> {
  const l1 = tiers.l1;
  if (l1 === undefined) return MISS;
  const timed = hitChannel.hasSubscribers || missChannel.hasSubscribers;
  const started = timed ? performance.now() : 0;
  const at = now();
  const entry = l1.get(key, at);
  if (entry === undefined) {
    telemetry.miss(key, 'l1', timed ? performance.now() - started : 0);
    return MISS;
  }
  const state = tiers.classify(entry, at);
  if (state !== 'unknown') {
    return answer(telemetry, key, entry, state, at, allowStale, timed ? started : -1);
  }
  return tiers
    .verify(entry, signal)
    .then((verified) =>
      answer(telemetry, key, entry, verified, now(), allowStale, timed ? started : -1),
    );
}

function answer(
  telemetry: Telemetry,
  key: string,
  entry: CacheEntry,
  state: EntryState,
  at: number,
  allowStale: boolean,
  started: number,
): L1Answer {
  const durationMs = started < 0 ? 0 : performance.now() - started;
  if (state === 'fresh') {
    telemetry.hit(key, 'l1', durationMs);
    return { kind: 'hit', entry };
  }
  telemetry.miss(key, 'l1', durationMs);
  if (state !== 'stale' || !allowStale) return MISS;
  if (entry.retryAt > at) {
    telemetry.stale(key, 'l1', 'backoff', Math.max(0, at - entry.expiresAt));
    return { kind: 'backoff', entry };
  }
  return { kind: 'stale', entry };
}

/**
 * XFetch (Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache Stampede
 * Prevention"): refresh early when `now − loadMs · β · ln(random()) ≥ expiresAt`. The
 * probability rises as expiry nears, and earlier for values that are slow to load, so one
 * caller among many refreshes a hot value before it expires.
 */
export function shouldRefreshEarly(entry: CacheEntry, now: number, beta: number): boolean {
  if (entry.loadMs <= 0 || entry.retryAt > now) return false;
  return now - entry.loadMs * beta * Math.log(Math.random()) >= entry.expiresAt;
}
