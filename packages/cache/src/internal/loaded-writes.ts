import type { L2Store, L2Write } from '../l2-store.ts';
import type { BusLink } from './bus-link.ts';
import { L2_UNAVAILABLE, type L2Guard } from './l2-guard.ts';
import type { Telemetry } from './telemetry.ts';
import type { LoadedWrite } from './tiers.ts';
import type { TinyLfuStore } from './tiny-lfu-store.ts';

/** What writing load results to L2 works with. */
export interface LoadedWritesContext {
  readonly l1: TinyLfuStore | undefined;
  readonly l2: { readonly store: L2Store; readonly guard: L2Guard } | undefined;
  readonly namespace: string;
  readonly telemetry: Telemetry;
  readonly link: BusLink;
}

/**
 * The L2 half of writing load results (L1 was written already): one fenced write for all of
 * them (`writeMany`, or one `set` each from a store without it), then one bus message for the
 * keys L2 accepted. A result L2 refused — its key changed elsewhere since the load read it —
 * is taken back out of L1, unless L1 has moved on to another value. Never rejects.
 */
export async function writeLoadedToL2(
  writes: readonly LoadedWrite[],
  context: LoadedWritesContext,
): Promise<void> {
  const { l1, l2, namespace, telemetry, link } = context;
  const stored = writes.filter(({ write }) => write.record !== undefined);
  if (l2 === undefined || stored.length === 0) {
    await link.publish({ keys: writes.map(({ key }) => key) });
    return;
  }
  const batch: L2Write[] = stored.map(({ key, write, fence }) => ({
    key,
    data: write.record ?? '',
    ttlMs: write.l2TtlMs,
    fence,
  }));
  const result = await l2.guard.run(
    stored.length === 1 ? 'set' : 'write-many',
    stored[0]?.key,
    async (abortSignal): Promise<boolean[]> => {
      if (l2.store.writeMany !== undefined) {
        return l2.store.writeMany(namespace, batch, abortSignal);
      }
      await Promise.all(
        batch.map(({ key, data, ttlMs }) => l2.store.set(namespace, key, data, ttlMs, abortSignal)),
      );
      return batch.map(() => true);
    },
  );
  if (result === L2_UNAVAILABLE) return;
  const published: string[] = [];
  for (const [index, loaded] of stored.entries()) {
    if (result[index] === true) {
      published.push(loaded.key);
      continue;
    }
    telemetry.fenced(loaded.key, 'l2', 'key');
    if (l1?.peek(loaded.key, Number.NEGATIVE_INFINITY) === loaded.write.entry) {
      l1.delete(loaded.key);
    }
  }
  if (published.length > 0) await link.publish({ keys: published });
}
