import type { Clock, RampartError } from '@rampart/errors';
import type { L2Read, L2Record, L2Store } from '../l2-store.ts';
import type { BusLink, BusMessage } from './bus-link.ts';
import { type CacheEntry, expireEntry, isWithinGrace } from './entry.ts';
import { L2_UNAVAILABLE, type L2Guard } from './l2-guard.ts';
import { writeLoadedToL2 } from './loaded-writes.ts';
import type { LocalFence, LocalFences } from './local-fences.ts';
import type { PreparedWrite, RecordCodec } from './record-codec.ts';
import type { TagVersions } from './tag-versions.ts';
import { hitChannel, missChannel, type Telemetry } from './telemetry.ts';
import type { TinyLfuStore } from './tiny-lfu-store.ts';

/** A read as the store reported it; no fence from a store without `readMany`. */
type StoreRead = Omit<L2Read, 'fence'> & { readonly fence: string | undefined };

/** What an invalidation drops: some keys, or the whole namespace. */
export type Invalidation = { readonly keys: readonly string[] } | { readonly all: true };

/**
 * What a read may do with an entry: serve it (`fresh`), keep it as a fallback within grace
 * (`stale`), ignore it (`gone`: past grace, or a tag was hard-invalidated), or first learn
 * its tags' current versions (`unknown`).
 */
export type EntryState = 'fresh' | 'stale' | 'gone' | 'unknown';

/** What an L2 lookup found. */
export interface L2Lookup {
  /** A servable entry (fresh, or stale within grace), or `undefined`. */
  readonly entry: CacheEntry | undefined;
  /** Whether `entry` is fresh. */
  readonly fresh: boolean;
  /** The key's fence for a conditional write, when the store gives one. */
  readonly fence: string | undefined;
}

/** A load's result to write, and what decides whether it still may be. */
export interface LoadedWrite {
  readonly key: string;
  readonly write: PreparedWrite;
  /** The L2 fence of the read that started the load. */
  readonly fence: string | undefined;
  /** Whether the key (or a tag) was invalidated in this process since the load started. */
  readonly superseded: () => 'key' | 'tag' | undefined;
}

/** Settings of {@link Tiers}. */
export interface TiersOptions {
  readonly l1: TinyLfuStore | undefined;
  readonly l2: { readonly store: L2Store; readonly guard: L2Guard } | undefined;
  readonly namespace: string;
  readonly codec: RecordCodec;
  readonly telemetry: Telemetry;
  readonly link: BusLink;
  readonly tags: TagVersions;
  readonly fences: LocalFences;
  readonly clock: Clock;
}

/**
 * L1 and L2 behind one surface: what an entry may be used for (expiry, grace, the bus-down
 * bound, tag versions), reads with backfill, and the single write and invalidation paths,
 * which publish on the bus. Writes of load results are fenced: refused in L1 when the key
 * was invalidated in this process since the load started, and in L2 (by the store's
 * conditional write) when it was written or deleted anywhere.
 */
export class Tiers {
  readonly l1: TinyLfuStore | undefined;
  readonly #l2: TiersOptions['l2'];
  readonly #options: TiersOptions;
  readonly #pendingWrites = new Set<Promise<unknown>>();

  constructor(options: TiersOptions) {
    this.l1 = options.l1;
    this.#l2 = options.l2;
    this.#options = options;
  }

  get hasL2(): boolean {
    return this.#l2 !== undefined;
  }

  /** The codec (prepare values for writing). */
  get codec(): RecordCodec {
    return this.#options.codec;
  }

  /** What `entry` may be used for at `now`. */
  classify(entry: CacheEntry, now: number): EntryState {
    if (!isWithinGrace(entry, now)) return 'gone';
    let fresh = entry.expiresAt > now && entry.storedAt > this.#options.link.minStoredAt(now);
    if (entry.tags !== undefined) {
      const state = this.#options.tags.state(entry.tags, now);
      if (state === 'hard') return 'gone';
      if (state === 'unknown') return 'unknown';
      if (state === 'soft') fresh = false;
    }
    return fresh ? 'fresh' : 'stale';
  }

  /** {@link Tiers.classify}, reading the current tag versions first when they are not known. */
  async verify(entry: CacheEntry, signal: AbortSignal | undefined): Promise<EntryState> {
    const state = this.classify(entry, this.#options.clock.now());
    if (state !== 'unknown' || entry.tags === undefined) return state;
    await this.#options.tags.refresh(entry.tags, signal);
    const now = this.#options.clock.now();
    const after = this.classify(entry, now);
    return after === 'unknown' ? this.#byLastKnownTags(entry, now) : after;
  }

  /** When L2 cannot say what a value's tags are at now: go by the last versions known, if any. */
  #byLastKnownTags(entry: CacheEntry, now: number): EntryState {
    if (entry.tags === undefined) return this.classify(entry, now);
    const state = this.#options.tags.state(entry.tags, now, true);
    if (state === 'unknown' || state === 'hard') return 'gone';
    const fresh = entry.expiresAt > now && entry.storedAt > this.#options.link.minStoredAt(now);
    return state === 'valid' && fresh ? 'fresh' : 'stale';
  }

  /**
   * Reads `key` from L2; a servable value is backfilled into L1 (unless the key was
   * invalidated during the read). Publishes the L2 hit or miss when `record` is set.
   */
  async lookup(
    key: string,
    signal: AbortSignal | undefined,
    record = true,
  ): Promise<L2Lookup | typeof L2_UNAVAILABLE> {
    // The hot path of a read that misses L1: the steps of lookupMany for one key, without
    // its arrays or an extra promise.
    const l2 = this.#l2;
    if (l2 === undefined) return L2_UNAVAILABLE;
    const { namespace, fences, clock } = this.#options;
    // The duration is only published: not measured when nobody listens.
    const timed = record && (hitChannel.hasSubscribers || missChannel.hasSubscribers);
    const started = timed ? performance.now() : 0;
    const read = fences.begin(key);
    try {
      const found = await this.#read(l2, namespace, [key], signal);
      if (found === L2_UNAVAILABLE) return L2_UNAVAILABLE;
      const first = found[0];
      if (first === undefined) return L2_UNAVAILABLE;
      const durationMs = timed ? performance.now() - started : 0;
      let now = clock.now();
      const entry = this.#decode(key, first.record, now, l2.guard);
      if (entry?.tags !== undefined && this.classify(entry, now) === 'unknown') {
        await this.#options.tags.refresh(entry.tags, signal);
        now = clock.now();
      }
      return this.#settle(key, entry, first.fence, read, durationMs, now, record);
    } finally {
      fences.end(read);
    }
  }

  /** {@link Tiers.lookup} of several keys in one L2 call; results in the order of `keys`. */
  async lookupMany(
    keys: readonly string[],
    signal: AbortSignal | undefined,
    record = true,
  ): Promise<L2Lookup[] | typeof L2_UNAVAILABLE> {
    const l2 = this.#l2;
    if (l2 === undefined || keys.length === 0) return L2_UNAVAILABLE;
    const { namespace, fences, clock } = this.#options;
    const started = performance.now();
    const reads = keys.map((key) => fences.begin(key));
    try {
      const found = await this.#read(l2, namespace, keys, signal);
      if (found === L2_UNAVAILABLE) return L2_UNAVAILABLE;
      const durationMs = performance.now() - started;
      const now = clock.now();
      const entries = found.map(({ record: stored }, index) =>
        this.#decode(keys[index] ?? '', stored, now, l2.guard),
      );
      let stamps: Record<string, string> | undefined;
      for (const entry of entries) {
        if (entry?.tags !== undefined && this.classify(entry, now) === 'unknown') {
          stamps = Object.assign(stamps ?? {}, entry.tags);
        }
      }
      if (stamps !== undefined) await this.#options.tags.refresh(stamps, signal);
      const after = clock.now();
      return found.map(({ fence }, index) =>
        this.#settle(
          keys[index] ?? '',
          entries[index],
          fence,
          reads[index],
          durationMs,
          after,
          record,
        ),
      );
    } finally {
      for (const read of reads) fences.end(read);
    }
  }

  /** The entry of a record read from L2; `undefined` (and an `l2-error`) when undecodable. */
  #decode(
    key: string,
    stored: L2Record | undefined,
    now: number,
    guard: L2Guard,
  ): CacheEntry | undefined {
    if (stored === undefined) return undefined;
    try {
      return this.#options.codec.decode(key, stored, now);
    } catch (error) {
      this.#decodeFailed(key, error as RampartError, guard);
      return undefined;
    }
  }

  /**
   * What a lookup returns for one key once its tags are known: the entry if servable (stale
   * ones expired at `now`), backfilled into L1 unless the key was invalidated during the
   * read; publishes the L2 hit or miss when `record` is set.
   */
  #settle(
    key: string,
    found: CacheEntry | undefined,
    fence: string | undefined,
    read: LocalFence | undefined,
    durationMs: number,
    now: number,
    record: boolean,
  ): L2Lookup {
    let entry = found;
    const state = entry === undefined ? 'gone' : this.#stateOfRead(entry, now);
    if (state === 'gone') entry = undefined;
    else if (state === 'stale' && entry !== undefined) entry = expireEntry(entry, now);
    const fresh = state === 'fresh';
    if (record) {
      const { telemetry } = this.#options;
      if (fresh) telemetry.hit(key, 'l2', durationMs);
      else telemetry.miss(key, 'l2', durationMs);
    }
    if (entry !== undefined && read !== undefined && !read.invalidated) {
      this.l1?.set(key, entry, now);
    }
    return { entry, fresh, fence };
  }

  /** Writes a value from `set` to both tiers and publishes it; resolves when both settled. */
  async write(key: string, write: PreparedWrite, now: number, signal?: AbortSignal): Promise<void> {
    const since = this.#options.clock.now();
    this.#options.fences.invalidate([key]);
    this.l1?.set(key, write.entry, now);
    const l2 = this.#l2;
    const record = write.record;
    if (l2 !== undefined && record !== undefined) {
      const { namespace } = this.#options;
      const pending = l2.guard.run(
        'set',
        key,
        async (abortSignal): Promise<void> => {
          if (l2.store.writeMany === undefined) {
            await l2.store.set(namespace, key, record, write.l2TtlMs, abortSignal);
            return;
          }
          await l2.store.writeMany(
            namespace,
            [{ key, data: record, ttlMs: write.l2TtlMs }],
            abortSignal,
          );
        },
        signal,
        { keys: [key] },
      );
      await this.#track(pending);
    }
    await this.#publish({ keys: [key] }, since);
  }

  /**
   * Writes the results of loads: L1 at once (synchronously, before this returns its promise),
   * then L2 with each load's fence, then publishes the keys L2 accepted. A write refused in
   * L2 is taken back from L1. Never rejects.
   */
  writeLoaded(writes: readonly LoadedWrite[], now: number): Promise<void> {
    const { telemetry } = this.#options;
    const accepted: LoadedWrite[] = [];
    for (const loaded of writes) {
      const supersededBy = loaded.superseded();
      if (supersededBy !== undefined) {
        telemetry.fenced(loaded.key, 'l1', supersededBy);
        continue;
      }
      this.l1?.set(loaded.key, loaded.write.entry, now);
      accepted.push(loaded);
    }
    if (accepted.length === 0) return Promise.resolve();
    return this.#track(
      writeLoadedToL2(accepted, {
        l1: this.l1,
        l2: this.#l2,
        namespace: this.#options.namespace,
        telemetry: this.#options.telemetry,
        link: this.#options.link,
      }),
    );
  }

  /** Resolves when every L2 write started so far has settled (each within the L2 deadline). */
  async drain(): Promise<void> {
    await Promise.all([...this.#pendingWrites]);
  }

  /** Drops keys or the whole namespace from both tiers and publishes it. */
  async invalidate(target: Invalidation, signal?: AbortSignal): Promise<void> {
    const l2 = this.#l2;
    const { namespace, fences } = this.#options;
    const since = this.#options.clock.now();
    if ('all' in target) {
      fences.invalidate('all');
      this.l1?.clear();
      if (l2 !== undefined) {
        await l2.guard.run(
          'clear',
          undefined,
          (abortSignal) => l2.store.clear(namespace, abortSignal),
          signal,
          { all: true },
        );
      }
      await this.#publish({ clear: true }, since);
      return;
    }
    if (target.keys.length === 0) return;
    fences.invalidate(target.keys);
    for (const key of target.keys) this.l1?.delete(key);
    if (l2 !== undefined) {
      await l2.guard.run(
        'delete',
        target.keys[0],
        (abortSignal) => l2.store.delete(namespace, target.keys, abortSignal),
        signal,
        { keys: target.keys },
      );
    }
    await this.#publish({ keys: target.keys }, since);
  }

  /** Gives `tags` new versions everywhere (their values stop being served) and publishes it. */
  async invalidateTags(
    tags: readonly string[],
    mode: 'hard' | 'soft',
    signal?: AbortSignal,
  ): Promise<void> {
    const since = this.#options.clock.now();
    const versions = await this.#options.tags.invalidate(tags, mode, signal);
    this.#options.fences.invalidate('all');
    await this.#publish({ tags: versions }, since);
  }

  /**
   * Publishes what a write or invalidation changed, within what is left of its deadline
   * (`l2TimeoutMs` from `since`): a caller never waits for L2 and then again for the bus.
   * While L2 cools down the publish is queued for the background retries at once.
   */
  #publish(message: BusMessage, since: number): Promise<void> {
    const { link } = this.#options;
    const state = this.#l2?.guard.state;
    if (state !== undefined && state !== 'healthy') {
      link.defer(message);
      return Promise.resolve();
    }
    return link.publish(message, since);
  }

  #stateOfRead(entry: CacheEntry, now: number): EntryState {
    const state = this.classify(entry, now);
    return state === 'unknown' ? this.#byLastKnownTags(entry, now) : state;
  }

  #read(
    l2: NonNullable<TiersOptions['l2']>,
    namespace: string,
    keys: readonly string[],
    signal: AbortSignal | undefined,
  ): Promise<StoreRead[] | typeof L2_UNAVAILABLE> {
    const { store, guard } = l2;
    const readMany = store.readMany;
    if (readMany !== undefined) {
      return guard.run(
        keys.length === 1 ? 'get' : 'read-many',
        keys[0],
        (abortSignal) => readMany.call(store, namespace, keys, abortSignal),
        signal,
      );
    }
    return guard.run(
      keys.length === 1 ? 'get' : 'read-many',
      keys[0],
      async (abortSignal) =>
        Promise.all(
          keys.map(async (key) => ({
            record: await store.get(namespace, key, abortSignal),
            fence: undefined,
          })),
        ),
      signal,
    );
  }

  #decodeFailed(key: string, error: RampartError, guard: L2Guard): void {
    this.#options.telemetry.l2Error({
      key,
      operation: 'get',
      durationMs: 0,
      error,
      timedOut: false,
      coolingDown: guard.state === 'cooling-down',
    });
  }

  async #track<T>(pending: Promise<T>): Promise<void> {
    this.#pendingWrites.add(pending);
    try {
      await pending;
    } finally {
      this.#pendingWrites.delete(pending);
    }
  }
}
