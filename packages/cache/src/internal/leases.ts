import { randomBytes } from 'node:crypto';
import type { L2Store } from '../l2-store.ts';
import type { BusLink } from './bus-link.ts';
import { L2_UNAVAILABLE, type L2Guard } from './l2-guard.ts';
import type { Telemetry } from './telemetry.ts';

/** Settings of {@link Leases}. */
export interface LeasesOptions {
  readonly l2: { readonly store: L2Store; readonly guard: L2Guard } | undefined;
  readonly namespace: string;
  readonly link: BusLink;
  readonly telemetry: Telemetry;
  /** How long a lease lives without renewal: the longest a crashed holder delays others. */
  readonly leaseMs: number;
  /** How often a load waiting for another instance checks L2 (and retries the lease). */
  readonly pollMs: number;
}

/** A lease this process holds on a key while its factory runs. */
export interface Lease {
  /** Ends the lease (compare-and-delete: never another holder's). Never rejects. */
  release(): Promise<void>;
}

/** What trying to take a key's lease gave. */
export type LeaseAttempt = Lease | 'held' | 'unavailable';

/**
 * The distributed single flight: a Redis lease per key (`SET NX PX` with a random token),
 * renewed every third of `leaseMs` while the factory runs and released with a
 * compare-and-delete, so one instance at a time calls the factory of a key. Every lease call
 * goes through the L2 guard: when L2 is slow or down, a load does not wait for the lock but
 * falls back to the per-process single flight.
 */
export class Leases {
  readonly #options: LeasesOptions;
  readonly #pending = new Set<Promise<void>>();

  constructor(options: LeasesOptions) {
    this.#options = options;
  }

  /** How often a waiting load checks L2, in milliseconds. */
  get pollMs(): number {
    return this.#options.pollMs;
  }

  /** Whether L2 supports leases. */
  get available(): boolean {
    const store = this.#options.l2?.store;
    return (
      store?.acquireLease !== undefined &&
      store.renewLease !== undefined &&
      store.releaseLease !== undefined
    );
  }

  /** Tries to take `key`'s lease; a taken lease is renewed until released. */
  async acquire(key: string, signal: AbortSignal): Promise<LeaseAttempt> {
    const l2 = this.#options.l2;
    const acquireLease = l2?.store.acquireLease;
    if (l2 === undefined || acquireLease === undefined) return 'unavailable';
    const { namespace, leaseMs } = this.#options;
    const token = randomBytes(12).toString('base64url');
    const taken = await l2.guard.run(
      'lease',
      key,
      (abortSignal) => acquireLease.call(l2.store, namespace, key, token, leaseMs, abortSignal),
      signal,
    );
    if (taken === L2_UNAVAILABLE) return 'unavailable';
    if (!taken) return 'held';
    return this.#hold(key, token);
  }

  /**
   * Waits until another instance publishes about `key` on the bus, or one poll interval,
   * whichever comes first (or until `signal` aborts).
   */
  waitTurn(key: string, signal: AbortSignal): Promise<void> {
    return this.#options.link.waitFor(key, this.#options.pollMs, signal);
  }

  /** Resolves when every release started so far has settled. */
  async drain(): Promise<void> {
    await Promise.all([...this.#pending]);
  }

  #hold(key: string, token: string): Lease {
    const { namespace, leaseMs, telemetry } = this.#options;
    const l2 = this.#options.l2;
    let released = false;
    let lost = false;
    const renew = async (): Promise<void> => {
      const renewLease = l2?.store.renewLease;
      if (l2 === undefined || renewLease === undefined || released || lost) return;
      const kept = await l2.guard.run('lease', key, (abortSignal) =>
        renewLease.call(l2.store, namespace, key, token, leaseMs, abortSignal),
      );
      // Unreachable L2: try again next time; the lease may expire meanwhile.
      if (kept === false && !released) {
        lost = true;
        clearInterval(timer);
        telemetry.lock(key, 'lost');
      }
    };
    const timer = setInterval(() => void renew(), Math.max(1, Math.floor(leaseMs / 3)));
    timer.unref();
    return {
      release: () => {
        if (released) return Promise.resolve();
        released = true;
        clearInterval(timer);
        const releaseLease = l2?.store.releaseLease;
        if (l2 === undefined || releaseLease === undefined || lost) return Promise.resolve();
        const pending = l2.guard
          .run('lease', key, (abortSignal) =>
            releaseLease.call(l2.store, namespace, key, token, abortSignal),
          )
          .then(() => undefined);
        this.#pending.add(pending);
        void pending.finally(() => this.#pending.delete(pending));
        return pending;
      },
    };
  }
}
