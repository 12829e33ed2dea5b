/**
 * What an L2 call that did not reach L2 would have changed: some keys (a `set` or a `delete`),
 * some tags (a `deleteByTag`) or the whole namespace (a `clear`).
 */
export type MissedChange =
  | { readonly keys: readonly string[] }
  | { readonly tags: readonly string[]; readonly mode: 'hard' | 'soft' }
  | { readonly all: true };

/** What the journal held when it was taken for a replay. */
export interface JournalSnapshot {
  readonly keys: readonly string[];
  /** Tags by the strongest invalidation missed (`hard` wins over `soft`). */
  readonly tags: ReadonlyMap<string, 'hard' | 'soft'>;
  /** A `clear` was missed: the whole namespace must be dropped. */
  readonly all: boolean;
  /** More than `maxEntries` keys and tags were missed: the whole namespace must be dropped. */
  readonly overflowed: boolean;
}

/**
 * The keys and tags written or deleted while L2 was skipped or failing, so L2 can forget them
 * when it is back (other instances would otherwise read the value they replaced). Holds at
 * most `maxEntries` keys and tags; past that it keeps only the fact that it overflowed, and
 * the replay drops the whole namespace instead, which is still correct.
 */
export class OutageJournal {
  readonly maxEntries: number;
  #keys = new Set<string>();
  #tags = new Map<string, 'hard' | 'soft'>();
  #all = false;
  #overflowed = false;

  constructor(maxEntries: number) {
    this.maxEntries = maxEntries;
  }

  /** Whether there is nothing to replay. */
  get empty(): boolean {
    return !this.#all && !this.#overflowed && this.#keys.size === 0 && this.#tags.size === 0;
  }

  /** Notes a change L2 did not (or may not have) received. */
  record(change: MissedChange): void {
    if (this.#all || this.#overflowed) return;
    if ('all' in change) {
      this.#all = true;
      this.#forgetEntries();
      return;
    }
    if ('keys' in change) {
      for (const key of change.keys) this.#keys.add(key);
    } else {
      for (const tag of change.tags) {
        if (this.#tags.get(tag) !== 'hard') this.#tags.set(tag, change.mode);
      }
    }
    if (this.#keys.size + this.#tags.size > this.maxEntries) {
      this.#overflowed = true;
      this.#forgetEntries();
    }
  }

  /** Empties the journal and returns what it held, for a replay. */
  take(): JournalSnapshot {
    const snapshot: JournalSnapshot = {
      keys: [...this.#keys],
      tags: this.#tags,
      all: this.#all,
      overflowed: this.#overflowed,
    };
    this.#keys = new Set();
    this.#tags = new Map();
    this.#all = false;
    this.#overflowed = false;
    return snapshot;
  }

  /** Puts back a snapshot whose replay failed, merged with what was recorded since. */
  restore(snapshot: JournalSnapshot): void {
    if (snapshot.all) this.record({ all: true });
    if (snapshot.overflowed && !this.#all) {
      this.#overflowed = true;
      this.#forgetEntries();
    }
    this.record({ keys: snapshot.keys });
    for (const [tag, mode] of snapshot.tags) this.record({ tags: [tag], mode });
  }

  #forgetEntries(): void {
    this.#keys.clear();
    this.#tags.clear();
  }
}
