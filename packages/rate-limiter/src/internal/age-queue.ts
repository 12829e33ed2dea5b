/**
 * The insertion order of a bounded map's entries, for evicting the oldest in amortised O(1)
 * time. (Iterating a `Map` from its start after many deletions skips every deleted slot, so
 * "delete the first key" becomes linear under churn.) Items go stale when their entry is
 * deleted or re-inserted; `isLive` tells, and stale items are skipped or compacted away.
 * Shifted slots are released too (once they are half the array), so a full map that evicts
 * one entry per insertion keeps a queue as long as the map, not one slot per key ever seen.
 */
export interface AgeQueue<T> {
  /** Records that `item`'s entry was inserted (or renewed) now. */
  push(item: T): void;
  /** Removes and returns the oldest item still live, or `undefined` when there is none. */
  shiftLive(): T | undefined;
  /** Forgets every item (the map was cleared). */
  clear(): void;
  /** The slots the queue holds, live, stale or already shifted: what its memory is proportional to. */
  readonly capacity: number;
}

/** Queued items beyond this multiple of the live entries (plus a margin) trigger compaction. */
const SLACK = 2;
const MARGIN = 1_024;

export function createAgeQueue<T>(
  isLive: (item: T) => boolean,
  liveCount: () => number,
): AgeQueue<T> {
  let items: (T | undefined)[] = [];
  let head = 0;
  return {
    push(item) {
      items.push(item);
      if (items.length - head > SLACK * liveCount() + MARGIN) {
        items = items.slice(head).filter((queued) => queued !== undefined && isLive(queued));
        head = 0;
      }
    },
    shiftLive() {
      while (head < items.length) {
        const item = items[head];
        items[head] = undefined;
        head += 1;
        if (item !== undefined && isLive(item)) {
          // Drop the shifted prefix once it is half the array: amortised O(1) per shift.
          if (head >= MARGIN && head * 2 >= items.length) {
            items = items.slice(head);
            head = 0;
          }
          return item;
        }
      }
      items = [];
      head = 0;
      return undefined;
    },
    clear() {
      items = [];
      head = 0;
    },
    get capacity() {
      return items.length;
    },
  };
}
