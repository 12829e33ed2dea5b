import { randomBytes } from 'node:crypto';
import type { Clock } from '@rampart/errors';
import type { L2Store, L2TagVersion } from '../l2-store.ts';
import type { BusLink } from './bus-link.ts';
import type { TagStamp } from './entry.ts';
import { L2_UNAVAILABLE, type L2Guard } from './l2-guard.ts';

/**
 * How a value's recorded tag versions compare with the current ones: `valid` (none moved),
 * `soft` (a soft invalidation since: stale, servable within grace), `hard` (a hard one: never
 * served), `unknown` (a current version is not known well enough to decide).
 */
export type TagState = 'valid' | 'soft' | 'hard' | 'unknown';

/** Settings of {@link TagVersions}. */
export interface TagVersionsOptions {
  /** The L2 holding shared tag versions, when it supports them; else versions are per process. */
  readonly l2: { readonly store: L2Store; readonly guard: L2Guard } | undefined;
  readonly namespace: string;
  readonly link: BusLink;
  readonly busDownTtlMs: number;
  readonly clock: Clock;
  /** Most tag versions remembered (the oldest are forgotten first). */
  readonly maxEntries?: number;
}

interface Known {
  readonly version: string;
  /** When it was read from L2 (or made locally), by the cache clock. */
  readonly fetchedAt: number;
  /** The bus connection it was read during (-1: while L2 could not be reached). */
  readonly connection: number;
  /** Until when L2 keeps the tag's version at least (by the cache clock). */
  readonly keptUntil: number;
}

/** How long L2 keeps a tag's version at least after it is read for a write. */
export const TAG_KEEP_MS: number = 24 * 3_600_000;
/** A remembered version is re-read after this long even while the bus is up. */
const MAX_AGE_MS = 60_000;
const DEFAULT_MAX_ENTRIES = 10_000;

const newId = (): string => randomBytes(6).toString('base64url');
/** A tag version as one string, `hard:soft`, as compared on reads and sent on the bus. */
export const encodeTagVersion = (version: L2TagVersion): string =>
  `${version.hard}:${version.soft}`;
const hardPart = (version: string): string => version.slice(0, version.indexOf(':'));

/** A `deleteByTag` of a tag in flight: settled when it (and any earlier one) is done. */
interface Invalidating {
  readonly settled: Promise<unknown>;
  readonly hard: boolean;
}

/**
 * The current version of each tag, as this process knows it. A value records its tags'
 * versions when its load starts; a read compares them with the current ones, so
 * `deleteByTag` invalidates every tagged value in every tier and instance without touching
 * (or scanning) the values themselves.
 *
 * With an L2 that supports tags the versions live there (shared by every instance) and are
 * remembered here: a remembered version is trusted while the bus has stayed connected since
 * it was read (the bus delivers every change), else for `busDownTtlMs`, and never longer
 * than a minute. Without such an L2 the versions are per process (and spread by the bus).
 */
export class TagVersions {
  readonly #options: TagVersionsOptions;
  readonly #known = new Map<string, Known>();
  readonly #maxEntries: number;
  /** Bumped by every change delivered or made, so a read that raced one is not remembered. */
  #serial = 0;
  /** Invalidations in flight by tag: a capture called after one must see its new version. */
  readonly #invalidating = new Map<string, Invalidating>();

  constructor(options: TagVersionsOptions) {
    this.#options = options;
    this.#maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** Whether versions are shared through L2. */
  get shared(): boolean {
    return this.#options.l2 !== undefined;
  }

  /** Compares recorded versions with the trusted current ones (`trustAny`: any remembered one). */
  state(stamp: TagStamp, now: number, trustAny = false): TagState {
    let state: TagState = 'valid';
    for (const tag in stamp) {
      // An invalidation called but not finished already applies (program order).
      const invalidating = this.#invalidating.size === 0 ? undefined : this.#invalidating.get(tag);
      if (invalidating?.hard === true) return 'hard';
      if (invalidating !== undefined && state === 'valid') state = 'soft';
      const recorded = stamp[tag] ?? '';
      const known = this.#known.get(tag);
      // A per-process version that was forgotten is never made again: its values are gone.
      if (known === undefined && !this.shared) return 'hard';
      if (known === undefined || (!trustAny && !this.#trusted(known, now))) {
        state = 'unknown';
        continue;
      }
      if (known.version === recorded) continue;
      if (hardPart(known.version) !== hardPart(recorded)) return 'hard';
      if (state === 'valid') state = 'soft';
    }
    return state;
  }

  /**
   * Reads the current versions of the stamp's tags that are not trusted now. Resolves `false`
   * when L2 could not be reached.
   */
  async refresh(stamp: TagStamp, signal: AbortSignal | undefined): Promise<boolean> {
    const now = this.#options.clock.now();
    const tags = Object.keys(stamp).filter((tag) => {
      const known = this.#known.get(tag);
      return known === undefined || !this.#trusted(known, now);
    });
    if (tags.length === 0) return true;
    return (await this.#fetch(tags, TAG_KEEP_MS, signal)) !== undefined;
  }

  /**
   * The versions to record with a value about to be loaded or written with `tags`, kept in L2
   * for at least `keepMs`. When L2 cannot be reached it falls back to the last known version,
   * or a local one: such values are reloaded once that version is no longer trusted.
   */
  async capture(
    tags: readonly string[],
    keepMs: number,
    signal: AbortSignal | undefined,
  ): Promise<TagStamp> {
    const invalidations = tags.flatMap((tag) => this.#invalidating.get(tag)?.settled ?? []);
    if (invalidations.length > 0) await Promise.all(invalidations);
    const now = this.#options.clock.now();
    const keep = Math.max(keepMs, TAG_KEEP_MS);
    const stamp: Record<string, string> = {};
    const missing: string[] = [];
    for (const tag of tags) {
      const known = this.#known.get(tag);
      if (known !== undefined && this.#trusted(known, now) && known.keptUntil >= now + keepMs) {
        stamp[tag] = known.version;
      } else {
        missing.push(tag);
      }
    }
    if (missing.length === 0) return stamp;
    if (!this.shared) {
      for (const tag of missing) stamp[tag] = this.#local(tag, now).version;
      return stamp;
    }
    const fetched = await this.#fetch(missing, keep, signal);
    for (const [index, tag] of missing.entries()) {
      stamp[tag] = fetched?.[index] ?? this.#known.get(tag)?.version ?? this.#placeholder(tag, now);
    }
    return stamp;
  }

  /**
   * Invalidates `tags`: new versions in L2 (or locally), remembered here. Resolves with the
   * new versions, to be published. When L2 cannot be reached, the tags get new local versions
   * so this process stops serving their values (other instances are not reached through L2).
   * A capture of one of these tags called meanwhile waits for it: what is written after a
   * `deleteByTag` carries the new version.
   */
  invalidate(
    tags: readonly string[],
    mode: 'hard' | 'soft',
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    const running = this.#invalidate(tags, mode, signal);
    const done = running.then(
      () => undefined,
      () => undefined,
    );
    const entries = new Map<string, Invalidating>();
    for (const tag of tags) {
      const earlier = this.#invalidating.get(tag);
      const entry: Invalidating = {
        settled: earlier === undefined ? done : Promise.all([earlier.settled, done]),
        hard: mode === 'hard' || earlier?.hard === true,
      };
      entries.set(tag, entry);
      this.#invalidating.set(tag, entry);
    }
    void done.then(() => {
      for (const [tag, entry] of entries) {
        if (this.#invalidating.get(tag) === entry) this.#invalidating.delete(tag);
      }
    });
    return running;
  }

  async #invalidate(
    tags: readonly string[],
    mode: 'hard' | 'soft',
    signal: AbortSignal | undefined,
  ): Promise<Record<string, string>> {
    this.#serial += 1;
    const now = this.#options.clock.now();
    const l2 = this.#options.l2;
    const versions: Record<string, string> = {};
    if (l2 !== undefined) {
      const result = await l2.guard.run(
        'invalidate-tags',
        tags[0],
        (abortSignal) =>
          l2.store.invalidateTags?.(this.#options.namespace, tags, mode, abortSignal) ??
          Promise.resolve([]),
        signal,
        { tags, mode },
      );
      if (result !== L2_UNAVAILABLE && result.length === tags.length) {
        this.#serial += 1;
        for (const [index, tag] of tags.entries()) {
          const version = result[index];
          if (version === undefined) continue;
          versions[tag] = encodeTagVersion(version);
          this.#remember(tag, versions[tag], now, this.#options.link.connection, now + TAG_KEEP_MS);
        }
        return versions;
      }
    }
    for (const tag of tags) {
      const current = this.#known.get(tag)?.version;
      const hard = mode === 'soft' && current !== undefined ? hardPart(current) : newId();
      versions[tag] = `${hard}:${newId()}`;
      this.#remember(tag, versions[tag], now, l2 === undefined ? 0 : -1, now);
    }
    return versions;
  }

  /** Applies versions another instance published: adopted locally, re-read when shared. */
  delivered(versions: Readonly<Record<string, string>>): void {
    this.#serial += 1;
    const now = this.#options.clock.now();
    for (const [tag, version] of Object.entries(versions)) {
      // Shared versions are re-read from L2 (a retried message may arrive out of order).
      if (this.shared) this.#known.delete(tag);
      else this.#remember(tag, version, now, 0, now);
    }
  }

  /** Forgets every shared version (the bus reconnected: changes may have been missed). */
  reset(): void {
    this.#serial += 1;
    if (this.shared) this.#known.clear();
  }

  #trusted(known: Known, now: number): boolean {
    if (!this.shared) return true;
    if (now - known.fetchedAt >= MAX_AGE_MS) return false;
    const link = this.#options.link;
    if (link.state === 'up' && known.connection === link.connection) return true;
    return now - known.fetchedAt < this.#options.busDownTtlMs;
  }

  async #fetch(
    tags: readonly string[],
    keepMs: number,
    signal: AbortSignal | undefined,
  ): Promise<(string | undefined)[] | undefined> {
    const l2 = this.#options.l2;
    if (l2 === undefined) return undefined;
    const serial = this.#serial;
    const connection = this.#options.link.connection;
    const result = await l2.guard.run(
      'tag-versions',
      tags[0],
      (abortSignal) =>
        l2.store.tagVersions?.(this.#options.namespace, tags, keepMs, abortSignal) ??
        Promise.resolve([]),
      signal,
    );
    if (result === L2_UNAVAILABLE || result.length !== tags.length) return undefined;
    const now = this.#options.clock.now();
    const versions = result.map((version) =>
      version === undefined ? undefined : encodeTagVersion(version),
    );
    // A change delivered while this read was in flight may be newer than what it returned.
    if (serial === this.#serial) {
      for (const [index, tag] of tags.entries()) {
        const version = versions[index];
        if (version !== undefined) this.#remember(tag, version, now, connection, now + keepMs);
      }
    }
    return versions;
  }

  #local(tag: string, now: number): Known {
    const known = this.#known.get(tag);
    if (known !== undefined) return known;
    return this.#remember(tag, `${newId()}:${newId()}`, now, 0, Number.POSITIVE_INFINITY);
  }

  #placeholder(tag: string, now: number): string {
    return this.#remember(tag, `${newId()}:${newId()}`, now, -1, now).version;
  }

  #remember(
    tag: string,
    version: string,
    fetchedAt: number,
    connection: number,
    keptUntil: number,
  ): Known {
    const known: Known = { version, fetchedAt, connection, keptUntil };
    this.#known.delete(tag);
    this.#known.set(tag, known);
    if (this.#known.size > this.#maxEntries) {
      const oldest = this.#known.keys().next().value;
      if (oldest !== undefined) this.#known.delete(oldest);
    }
    return known;
  }
}
