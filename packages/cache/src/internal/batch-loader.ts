import { InternalError, invalidArgument } from '@rampart/errors';
import type { ManyFactory, ManyValues } from '../cache.ts';
import type { CacheEntry, TagStamp } from './entry.ts';
import type { Flight } from './flight.ts';
import { L2_UNAVAILABLE } from './l2-guard.ts';
import type { Loader, LoadSettings } from './loader.ts';
import type { TagVersions } from './tag-versions.ts';
import type { Telemetry } from './telemetry.ts';
import type { LoadedWrite, Tiers } from './tiers.ts';

/** What a {@link BatchLoader} works with. */
export interface BatchLoaderOptions {
  readonly tiers: Tiers;
  readonly loader: Loader;
  readonly tags: TagVersions;
  readonly telemetry: Telemetry;
  readonly now: () => number;
}

/** A flight of a batch with the L2 fence of its key. */
interface Member {
  readonly flight: Flight;
  fence: string | undefined;
}

/**
 * `getMany` and `getOrSetMany`: one L1 pass, one L2 read for the L1 misses, one factory call
 * for what is still missing. Each missing key gets an ordinary flight registered with the
 * loader, so a concurrent `getOrSet` of one of the keys joins the batch's load (and the batch
 * joins loads already in flight) — per-key single flight, whatever the mix of calls.
 */
export class BatchLoader {
  readonly #options: BatchLoaderOptions;

  constructor(options: BatchLoaderOptions) {
    this.#options = options;
  }

  /** The fresh values of `keys` (unique), `undefined` for misses. */
  async getMany(keys: readonly string[], signal: AbortSignal | undefined): Promise<unknown[]> {
    const { tiers, telemetry, now } = this.#options;
    const values: unknown[] = new Array(keys.length).fill(undefined);
    const missing: number[] = [];
    const at = now();
    for (const [index, key] of keys.entries()) {
      const entry = tiers.l1?.get(key, at);
      if (entry !== undefined && tiers.classify(entry, at) === 'fresh') {
        telemetry.hit(key, 'l1', 0);
        values[index] = entry.value;
        continue;
      }
      if (tiers.l1 !== undefined) telemetry.miss(key, 'l1', 0);
      missing.push(index);
    }
    if (missing.length > 0 && tiers.hasL2) {
      const found = await tiers.lookupMany(
        missing.map((index) => keys[index] ?? ''),
        signal,
      );
      if (found !== L2_UNAVAILABLE) {
        for (const [position, index] of missing.entries()) {
          const lookup = found[position];
          if (lookup?.fresh === true) values[index] = lookup.entry?.value;
        }
      }
    }
    telemetry.counters.misses += values.filter((value) => value === undefined).length;
    return values;
  }

  /** The values of `keys` (unique): hits, joined loads, and one factory call for the rest. */
  loadMany(
    keys: readonly string[],
    factory: ManyFactory<unknown>,
    settings: LoadSettings,
    signal: AbortSignal | undefined,
  ): Promise<unknown[]> {
    const { tiers, loader, telemetry, now } = this.#options;
    const results: Promise<unknown>[] = [];
    const members: Member[] = [];
    const at = now();
    for (const key of keys) {
      let stale: CacheEntry | undefined;
      const entry = tiers.l1?.get(key, at);
      if (entry !== undefined) {
        const state = tiers.classify(entry, at);
        if (state === 'fresh') {
          telemetry.hit(key, 'l1', 0);
          results.push(Promise.resolve(entry.value));
          continue;
        }
        if (state === 'stale') stale = entry;
      }
      if (tiers.l1 !== undefined) telemetry.miss(key, 'l1', 0);
      const existing = loader.flightOf(key);
      if (existing !== undefined) {
        telemetry.counters.coalesced += 1;
        results.push(existing.join(signal));
        continue;
      }
      const flight = loader.create(key, stale, settings);
      results.push(flight.join(signal));
      members.push({ flight, fence: undefined });
    }
    if (members.length > 0) void this.#run(members, factory, settings);
    return Promise.all(results);
  }

  async #run(
    members: Member[],
    factory: ManyFactory<unknown>,
    settings: LoadSettings,
  ): Promise<void> {
    const { tiers, tags, telemetry } = this.#options;
    try {
      if (tiers.hasL2) {
        const found = await tiers.lookupMany(
          members.map(({ flight }) => flight.key),
          undefined,
        );
        if (found !== L2_UNAVAILABLE) {
          for (const [index, member] of members.entries()) {
            const lookup = found[index];
            if (lookup === undefined || member.flight.finished) continue;
            member.fence = lookup.fence;
            if (lookup.entry === undefined) continue;
            if (lookup.fresh) member.flight.resolve(lookup.entry.value);
            else member.flight.offerStale({ entry: lookup.entry, tier: 'l2' });
          }
        }
      }
      const loading = members.filter(({ flight }) => !flight.finished);
      if (loading.length === 0) return;
      telemetry.counters.misses += loading.length;
      let stamp: TagStamp | undefined;
      if (settings.tags.length > 0) {
        stamp = await tags.capture(settings.tags, settings.ttlMs + settings.graceMs, undefined);
      }
      await this.#callFactory(loading, factory, settings, stamp);
    } catch (error) {
      for (const { flight } of members) flight.reject(error);
    } finally {
      for (const { flight } of members) {
        if (!flight.finished)
          flight.reject(new InternalError(`Loading "${flight.key}" ended without an outcome`));
      }
    }
  }

  async #callFactory(
    members: readonly Member[],
    factory: ManyFactory<unknown>,
    settings: LoadSettings,
    stamp: TagStamp | undefined,
  ): Promise<void> {
    const { tiers, telemetry, now } = this.#options;
    const live = members.filter(({ flight }) => !flight.finished);
    if (live.length === 0) return;
    // The factory stops only when every key's load has given up on it.
    const controller = new AbortController();
    let remaining = live.length;
    for (const { flight } of live) {
      flight.signal.addEventListener(
        'abort',
        () => {
          remaining -= 1;
          if (remaining === 0) controller.abort(flight.signal.reason);
        },
        { once: true },
      );
    }
    const staleValues = new Map<string, unknown>();
    for (const { flight } of live) {
      if (flight.staleEntry !== undefined) staleValues.set(flight.key, flight.staleValue);
    }
    telemetry.counters.factoryCalls += 1;
    for (const { flight } of live) flight.startFactory();
    const first = live[0]?.flight;
    const started = performance.now();
    const startedAt = now();
    let values: ManyValues<unknown>;
    try {
      values = await factory({
        keys: live.map(({ flight }) => flight.key),
        signal: controller.signal,
        staleValues,
      });
    } catch (error) {
      if (first !== undefined) {
        telemetry.factory(first.key, 'error', performance.now() - started, false, error);
      }
      for (const { flight } of live) {
        if (!flight.endFactory('error', error, false)) continue;
        if (!flight.fallBackToStale('factory-error', error)) flight.reject(error);
      }
      return;
    }
    if (first !== undefined) {
      telemetry.factory(first.key, 'success', performance.now() - started, false);
    }
    const loadMs = now() - startedAt;
    const lookup = readValues(values);
    const at = now();
    const writes: LoadedWrite[] = [];
    const resolutions: (() => void)[] = [];
    for (const { flight, fence } of live) {
      if (!flight.endFactory('success', undefined, false)) continue;
      if (lookup === undefined) {
        flight.reject(
          invalidArgument(
            'getOrSetMany',
            'factory()',
            'must return a Map or an object of values by key',
            values,
          ),
        );
        continue;
      }
      const value = lookup(flight.key);
      if (value === undefined) {
        flight.resolve(undefined);
        continue;
      }
      try {
        const write = tiers.codec.prepare(
          value,
          settings.ttlMs,
          settings.graceMs,
          at,
          'getOrSetMany',
          {
            tags: stamp,
            loadMs,
          },
        );
        writes.push({ key: flight.key, write, fence, superseded: () => flight.supersededBy });
        resolutions.push(() => flight.resolve(write.entry.value));
      } catch (error) {
        flight.reject(error);
      }
    }
    void tiers.writeLoaded(writes, at);
    for (const resolve of resolutions) resolve();
  }
}

/** A lookup by key into what a batch factory returned; `undefined` when it is neither shape. */
function readValues(values: unknown): ((key: string) => unknown) | undefined {
  if (values instanceof Map) return (key) => values.get(key);
  if (typeof values === 'object' && values !== null && !Array.isArray(values)) {
    const record = values as Record<string, unknown>;
    return (key) => (Object.hasOwn(record, key) ? record[key] : undefined);
  }
  return undefined;
}
