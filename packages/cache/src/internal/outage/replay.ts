import type { L2Store } from '../../l2-store.ts';
import type { BusLink } from '../bus-link.ts';
import { encodeTagVersion, type TagVersions } from '../tag-versions.ts';
import type { Telemetry } from '../telemetry.ts';
import type { JournalSnapshot } from './journal.ts';

/** What a replay needs: the store to call directly (the guard is probing) and the bus. */
export interface ReplayTarget {
  readonly store: L2Store;
  readonly namespace: string;
  readonly link: BusLink;
  readonly tags: TagVersions;
  readonly telemetry: Telemetry;
}

/**
 * Makes L2 forget what changed while it was skipped: deletes the journal's keys, gives its
 * tags new versions, or — after a missed `clear` or an overflow — clears the namespace (a new
 * generation), then publishes the same on the bus so every instance drops its L1 copies.
 * First it makes the store re-read what it caches about the namespace (its generation): a
 * Redis restarted without its data has a new one. Rejects when L2 does; the caller keeps the
 * snapshot for the next recovery.
 */
export async function replayJournal(
  snapshot: JournalSnapshot,
  target: ReplayTarget,
  signal: AbortSignal,
): Promise<void> {
  const { store, namespace, link, tags, telemetry } = target;
  store.onRemoteClear?.(namespace);
  if (!snapshot.all && !snapshot.overflowed && snapshot.keys.length === 0) {
    if (snapshot.tags.size === 0) return;
  }
  if (snapshot.all || snapshot.overflowed) {
    await store.clear(namespace, signal);
    telemetry.replay({
      keys: snapshot.keys.length,
      tags: snapshot.tags.size,
      overflowed: snapshot.overflowed,
      cleared: true,
    });
    void link.publish({ clear: true });
    return;
  }
  if (snapshot.keys.length > 0) await store.delete(namespace, snapshot.keys, signal);
  const versions: Record<string, string> = {};
  if (snapshot.tags.size > 0 && store.invalidateTags !== undefined) {
    for (const mode of ['hard', 'soft'] as const) {
      const named = [...snapshot.tags].filter(([, wanted]) => wanted === mode).map(([tag]) => tag);
      if (named.length === 0) continue;
      const fresh = await store.invalidateTags(namespace, named, mode, signal);
      for (const [index, tag] of named.entries()) {
        const version = fresh[index];
        if (version !== undefined) versions[tag] = encodeTagVersion(version);
      }
    }
    tags.delivered(versions);
  }
  telemetry.replay({
    keys: snapshot.keys.length,
    tags: snapshot.tags.size,
    overflowed: false,
    cleared: false,
  });
  if (snapshot.keys.length > 0) void link.publish({ keys: snapshot.keys });
  if (Object.keys(versions).length > 0) void link.publish({ tags: versions });
}
