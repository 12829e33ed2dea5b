import { createAgeQueue } from '../age-queue.ts';
import { MODE_CONSUME, MODE_PEEK, OUTCOME_SLOTS } from '../algorithms.ts';
import type { LocalEvaluator } from '../raw-store.ts';

/** The most keys banned at once in one process (memory store and fallback); the oldest ban goes first. */
export const MAX_BANNED_KEYS = 100_000;

/**
 * Makes the outcome numbers of `count` limits say "banned for `bannedMs` more": nothing
 * admitted, nothing remaining, and no limit's wait, refill or reset shorter than the ban.
 * In place; the store's own numbers stay where they are longer.
 */
export function applyBan(flat: number[], count: number, bannedMs: number): void {
  flat[0] = 0;
  for (let index = 0; index < count; index++) {
    const at = 1 + index * OUTCOME_SLOTS;
    flat[at] = 0;
    flat[at + 1] = 0;
    if ((flat[at + 2] as number) < bannedMs) flat[at + 2] = bannedMs;
    if ((flat[at + 3] as number) < bannedMs) flat[at + 3] = bannedMs;
    if ((flat[at + 4] as number) < bannedMs) flat[at + 4] = bannedMs;
  }
}

/** Keys banned in this process, each until a local time. */
export interface BanList {
  /** Until when `key` is banned, if it is at `now`. */
  until(key: string, now: number): number | undefined;
  ban(key: string, until: number): void;
  delete(key: string): void;
  clear(): void;
  readonly size: number;
}

/** A bounded list of bans: past {@link MAX_BANNED_KEYS}, the oldest ban is dropped. */
export function createBanList(maxKeys: number = MAX_BANNED_KEYS): BanList {
  const bans = new Map<string, number>();
  const ages = createAgeQueue<{ readonly key: string; readonly until: number }>(
    ({ key, until }) => bans.get(key) === until,
    () => bans.size,
  );
  return {
    until(key, now) {
      const until = bans.get(key);
      if (until === undefined) return undefined;
      if (until <= now) {
        bans.delete(key);
        return undefined;
      }
      return until;
    },
    ban(key, until) {
      if (!bans.has(key) && bans.size >= maxKeys) {
        const oldest = ages.shiftLive();
        if (oldest !== undefined) bans.delete(oldest.key);
      }
      bans.set(key, until);
      ages.push({ key, until });
    },
    delete(key) {
      bans.delete(key);
    },
    clear() {
      bans.clear();
      ages.clear();
    },
    get size() {
      return bans.size;
    },
  };
}

/**
 * Adds bans to an in-process evaluator: a consume the limits reject bans the key for
 * `blockDurationMs`; while banned, a consume is answered from a peek (nothing charged) and
 * every call's outcome says banned (see {@link applyBan}).
 */
export function withBans(
  evaluate: LocalEvaluator,
  bans: BanList,
  count: number,
  blockDurationMs: number,
): LocalEvaluator {
  return (key, cost, now, mode) => {
    const until = bans.size === 0 ? undefined : bans.until(key, now);
    if (until !== undefined) {
      const flat = evaluate(key, cost, now, mode === MODE_CONSUME ? MODE_PEEK : mode) as number[];
      applyBan(flat, count, until - now);
      return flat;
    }
    const flat = evaluate(key, cost, now, mode) as number[];
    if (mode === MODE_CONSUME && flat[0] === 0) {
      bans.ban(key, now + blockDurationMs);
      applyBan(flat, count, blockDurationMs);
    }
    return flat;
  };
}
