import { InternalError, invalidArgument } from '@rampart/errors';
import type { Factory, FactoryContext } from '../cache.ts';
import { type CacheEntry, isFresh } from './entry.ts';
import { Flight, type FlightSettings } from './flight.ts';
import { L2_UNAVAILABLE } from './l2-guard.ts';
import type { Telemetry } from './telemetry.ts';
import type { Tiers } from './tiers.ts';

/** Everything one load needs to know: TTLs plus the flight's timeouts. */
export interface LoadSettings extends FlightSettings {
  readonly ttlMs: number;
  readonly graceMs: number;
}

/**
 * Single flight per key: the first caller of a missing key starts a {@link Flight} that
 * reads L2, then calls the factory and writes both tiers; concurrent callers of that key
 * join it. A key has at most one flight, hence at most one factory call, at a time in this
 * process (a flight ended by a timeout or abort leaves, so a factory that ignores its
 * signal cannot block its key).
 */
export class Loader {
  readonly #flights = new Map<string, Flight>();
  readonly #tiers: Tiers;
  readonly #telemetry: Telemetry;
  readonly #now: () => number;

  constructor(tiers: Tiers, telemetry: Telemetry, now: () => number) {
    this.#tiers = tiers;
    this.#telemetry = telemetry;
    this.#now = now;
  }

  /** Number of loads in flight. */
  get size(): number {
    return this.#flights.size;
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
      this.#telemetry.counters.coalesced += 1;
      return existing.join(signal);
    }
    const flight = new Flight(
      key,
      l1Stale === undefined ? undefined : { entry: l1Stale, tier: 'l1' },
      settings,
      {
        telemetry: this.#telemetry,
        now: this.#now,
        onFinish: (finished) => {
          if (this.#flights.get(finished.key) === finished) this.#flights.delete(finished.key);
        },
      },
    );
    this.#flights.set(key, flight);
    const joined = flight.join(signal);
    void this.#run(flight, factory, settings);
    return joined;
  }

  /** Keeps in-flight loads of `keys` (or of every key) from writing their older values. */
  supersede(keys: readonly string[] | 'all'): void {
    if (keys === 'all') {
      for (const flight of this.#flights.values()) flight.supersede();
      return;
    }
    for (const key of keys) this.#flights.get(key)?.supersede();
  }

  /** Aborts every flight: factories' signals abort and their callers get `reason`. */
  abortAll(reason: unknown): void {
    for (const flight of [...this.#flights.values()]) flight.abort(reason);
    this.#flights.clear();
  }

  async #run(flight: Flight, factory: Factory<unknown>, settings: LoadSettings): Promise<void> {
    try {
      if (this.#tiers.hasL2) {
        const found = await this.#tiers.readL2(flight.key, this.#now, flight.signal);
        if (flight.finished) return;
        if (found !== L2_UNAVAILABLE && found !== undefined) {
          if (isFresh(found, this.#now())) {
            flight.resolve(found.value);
            return;
          }
          flight.offerStale({ entry: found, tier: 'l2' });
        }
      }
      this.#telemetry.counters.misses += 1;
      await this.#callFactory(flight, factory, settings);
    } catch (error) {
      flight.reject(error);
    } finally {
      if (!flight.finished)
        flight.reject(new InternalError(`Loading "${flight.key}" ended without an outcome`));
    }
  }

  async #callFactory(
    flight: Flight,
    factory: Factory<unknown>,
    settings: LoadSettings,
  ): Promise<void> {
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
    this.#telemetry.counters.factoryCalls += 1;
    flight.startFactory();
    let value: unknown;
    try {
      value = await factory(context);
    } catch (error) {
      if (!flight.endFactory('error', error)) return;
      if (!flight.fallBackToStale('factory-error', error)) flight.reject(error);
      return;
    }
    if (!flight.endFactory('success')) return;
    if (value === undefined) {
      flight.resolve(undefined);
      return;
    }
    const now = this.#now();
    const write = this.#tiers.prepare(value, ttlMs, settings.graceMs, now, 'getOrSet');
    if (!flight.superseded) {
      // L1 is written synchronously; callers do not wait for the L2 write (it never rejects).
      void this.#tiers.write(flight.key, write, now);
    }
    flight.resolve(write.entry.value);
  }
}
