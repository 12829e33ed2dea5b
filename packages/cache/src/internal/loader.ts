import { InternalError, invalidArgument } from '@rampart/errors';
import type { Factory, FactoryContext } from '../cache.ts';
import type { CacheEntry, TagStamp } from './entry.ts';
import { Flight, type FlightSettings } from './flight.ts';
import { L2_UNAVAILABLE } from './l2-guard.ts';
import type { Lease, Leases } from './leases.ts';
import type { TagVersions } from './tag-versions.ts';
import type { Telemetry } from './telemetry.ts';
import type { L2Lookup, Tiers } from './tiers.ts';

/** Everything one load needs to know: TTLs, tags, the lock, plus the flight's timeouts. */
export interface LoadSettings extends FlightSettings {
  readonly ttlMs: number;
  readonly graceMs: number;
  readonly tags: readonly string[];
  /** Whether the load takes the key's distributed lock (a lease in L2). */
  readonly distributedLock: boolean;
  /** Whether an L1 hit may start a background refresh before expiry (XFetch). */
  readonly earlyRefresh: boolean;
}

/** What a {@link Loader} works with. */
export interface LoaderOptions {
  readonly tiers: Tiers;
  readonly telemetry: Telemetry;
  readonly tags: TagVersions;
  readonly leases: Leases;
  readonly now: () => number;
}

/** What the lock step leaves for the factory: the lease (if taken) and the key's L2 fence. */
interface Locked {
  readonly lease: Lease | undefined;
  readonly fence: string | undefined;
}

/**
 * Single flight per key: the first caller of a missing key starts a {@link Flight} that
 * reads L2, takes the distributed lock when asked, then calls the factory and writes both
 * tiers; concurrent callers of that key join it. A key has at most one joinable flight at a
 * time in this process: a flight ended by a timeout or abort leaves (a factory that ignores
 * its signal cannot block its key), and so does one whose key is written or invalidated,
 * so no caller that arrives after an invalidation gets the older value.
 */
export class Loader {
  readonly #flights = new Map<string, Flight>();
  readonly #options: LoaderOptions;

  constructor(options: LoaderOptions) {
    this.#options = options;
  }

  /** Number of joinable loads in flight. */
  get size(): number {
    return this.#flights.size;
  }

  /** The joinable flight of `key`, if any. */
  flightOf(key: string): Flight | undefined {
    return this.#flights.get(key);
  }

  /** Creates and registers a flight that the caller drives (batches). */
  create(
    key: string,
    stale: CacheEntry | undefined,
    settings: LoadSettings,
    background = false,
  ): Flight {
    const flight = new Flight(
      key,
      stale === undefined ? undefined : { entry: stale, tier: 'l1' },
      settings,
      {
        telemetry: this.#options.telemetry,
        now: this.#options.now,
        onFinish: (finished) => {
          if (this.#flights.get(finished.key) === finished) this.#flights.delete(finished.key);
        },
      },
      background,
    );
    this.#flights.set(key, flight);
    return flight;
  }

  /** Joins the key's flight, or starts one with the L1 stale entry as fallback. */
  load(
    key: string,
    factory: Factory<unknown>,
    settings: LoadSettings,
    l1Stale: CacheEntry | undefined,
    signal: AbortSignal | undefined,
  ): Promise<unknown> {
    const existing = this.#flights.get(key);
    if (existing !== undefined) {
      this.#options.telemetry.counters.coalesced += 1;
      return existing.join(signal);
    }
    const flight = this.create(key, l1Stale, settings);
    const joined = flight.join(signal);
    void this.#run(flight, factory, settings);
    return joined;
  }

  /** Starts a background refresh of `key` (early refresh) unless a load of it is in flight. */
  refresh(key: string, factory: Factory<unknown>, settings: LoadSettings, entry: CacheEntry): void {
    if (this.#flights.has(key)) return;
    this.#options.telemetry.counters.earlyRefreshes += 1;
    const flight = this.create(key, entry, settings, true);
    void this.#run(flight, factory, settings);
  }

  /**
   * Keeps in-flight loads of `keys` (or of every key) from writing their older values, and
   * detaches them so later callers start afresh.
   */
  supersede(keys: readonly string[] | 'all'): void {
    const flights =
      keys === 'all' ? [...this.#flights.values()] : keys.map((key) => this.#flights.get(key));
    for (const flight of flights) if (flight !== undefined) this.#detach(flight);
  }

  /** {@link Loader.supersede} for the loads of values tagged with one of `tags`. */
  supersedeTags(tags: readonly string[]): void {
    if (tags.length === 0) return;
    const changed = new Set(tags);
    for (const flight of [...this.#flights.values()]) {
      if (flight.tags.some((tag) => changed.has(tag))) this.#detach(flight, 'tag');
    }
  }

  /** Aborts every flight: factories' signals abort and their callers get `reason`. */
  abortAll(reason: unknown): void {
    for (const flight of [...this.#flights.values()]) flight.abort(reason);
    this.#flights.clear();
  }

  #detach(flight: Flight, by: 'key' | 'tag' = 'key'): void {
    flight.supersede(by);
    if (this.#flights.get(flight.key) === flight) this.#flights.delete(flight.key);
  }

  async #run(flight: Flight, factory: Factory<unknown>, settings: LoadSettings): Promise<void> {
    const { tiers, leases, telemetry } = this.#options;
    let lease: Lease | undefined;
    try {
      let fence: string | undefined;
      if (tiers.hasL2) {
        const found = await tiers.lookup(flight.key, flight.signal);
        if (flight.finished) return;
        if (found !== L2_UNAVAILABLE) {
          fence = found.fence;
          if (this.#settle(flight, found)) return;
        }
      }
      if (settings.distributedLock && leases.available) {
        const locked = await this.#lock(flight, fence);
        if (locked === undefined) return;
        lease = locked.lease;
        fence = locked.fence;
        const held = lease;
        // A load that times out or is abandoned gives the key up at once, even if its factory
        // never settles: otherwise its renewals would hold everyone else off.
        flight.signal.addEventListener('abort', () => void held?.release(), { once: true });
      }
      if (!flight.background) telemetry.counters.misses += 1;
      const handedOver = await this.#callFactory(flight, factory, settings, fence, lease);
      if (handedOver) lease = undefined;
    } catch (error) {
      flight.reject(error);
    } finally {
      void lease?.release();
      if (!flight.finished)
        flight.reject(new InternalError(`Loading "${flight.key}" ended without an outcome`));
    }
  }

  /** Resolves the flight from what L2 holds when that is fresh; offers it as stale otherwise. */
  #settle(flight: Flight, found: L2Lookup): boolean {
    const entry = found.entry;
    if (entry === undefined) return false;
    if (!found.fresh) {
      flight.offerStale({ entry, tier: 'l2' });
      return false;
    }
    // A background refresh goes on unless another instance has refreshed the value already.
    const current = flight.staleEntry;
    if (flight.background && current !== undefined && entry.createdAt <= current.createdAt) {
      return false;
    }
    flight.resolve(entry.value);
    return true;
  }

  /**
   * Takes the key's lease, or waits for the instance that holds it: serves the stale value at
   * once when there is one, else checks L2 each time that instance publishes the key or a
   * poll interval passes, taking the lease over if it expired (a crashed holder). Resolves
   * `undefined` when the flight was settled here.
   */
  async #lock(flight: Flight, initialFence: string | undefined): Promise<Locked | undefined> {
    const { tiers, leases, telemetry } = this.#options;
    const key = flight.key;
    const started = this.#options.now();
    let fence = initialFence;
    let waited = false;
    for (;;) {
      const attempt = await leases.acquire(key, flight.signal);
      if (flight.finished) {
        if (typeof attempt === 'object') void attempt.release();
        return undefined;
      }
      if (attempt === 'unavailable') {
        telemetry.lock(key, 'unavailable');
        return { lease: undefined, fence };
      }
      if (attempt !== 'held') {
        // The previous holder may have written just before releasing: look again.
        const found = await tiers.lookup(key, flight.signal, false);
        if (flight.finished) {
          void attempt.release();
          return undefined;
        }
        if (found !== L2_UNAVAILABLE) {
          fence = found.fence;
          if (this.#settle(flight, found)) {
            void attempt.release();
            if (waited) telemetry.lock(key, 'waited', this.#options.now() - started);
            return undefined;
          }
        }
        telemetry.lock(key, 'acquired', waited ? this.#options.now() - started : 0);
        return { lease: attempt, fence };
      }
      if (flight.background && flight.waiting === 0) {
        // Another instance refreshes it: nothing to do here.
        flight.resolve(flight.staleValue);
        return undefined;
      }
      if (flight.fallBackToStale('locked', undefined, leases.pollMs)) return undefined;
      waited = true;
      await leases.waitTurn(key, flight.signal);
      if (flight.finished) return undefined;
      const found = await tiers.lookup(key, flight.signal, false);
      if (flight.finished) return undefined;
      if (found !== L2_UNAVAILABLE) {
        fence = found.fence;
        if (this.#settle(flight, found)) {
          telemetry.lock(key, 'waited', this.#options.now() - started);
          return undefined;
        }
      }
    }
  }

  /** Calls the factory and writes its value; whether the lease was handed to the write. */
  async #callFactory(
    flight: Flight,
    factory: Factory<unknown>,
    settings: LoadSettings,
    fence: string | undefined,
    lease: Lease | undefined,
  ): Promise<boolean> {
    const { tiers, tags, telemetry, now } = this.#options;
    let stamp: TagStamp | undefined;
    if (settings.tags.length > 0) {
      stamp = await tags.capture(settings.tags, settings.ttlMs + settings.graceMs, flight.signal);
      if (flight.finished) return false;
    }
    let ttlMs = settings.ttlMs;
    const context: FactoryContext = {
      key: flight.key,
      signal: flight.signal,
      staleValue: flight.staleValue,
      setTtl(value: number) {
        if (!Number.isSafeInteger(value) || value <= 0) {
          throw invalidArgument('setTtl', 'ttlMs', 'must be a positive integer', value);
        }
        ttlMs = value;
      },
    };
    telemetry.counters.factoryCalls += 1;
    const startedAt = now();
    flight.startFactory();
    let value: unknown;
    try {
      value = await factory(context);
    } catch (error) {
      if (!flight.endFactory('error', error)) return false;
      if (!flight.fallBackToStale('factory-error', error)) flight.reject(error);
      return false;
    }
    const loadMs = now() - startedAt;
    if (!flight.endFactory('success')) return false;
    if (value === undefined) {
      flight.resolve(undefined);
      return false;
    }
    const at = now();
    const write = tiers.codec.prepare(value, ttlMs, settings.graceMs, at, 'getOrSet', {
      tags: stamp,
      loadMs,
    });
    const written = tiers.writeLoaded(
      [{ key: flight.key, write, fence, superseded: () => flight.supersededBy }],
      at,
    );
    flight.resolve(write.entry.value);
    if (lease === undefined) return false;
    // Release only once L2 holds the value, so whoever takes the lease next finds it.
    void written.then(() => lease.release());
    return true;
  }
}
