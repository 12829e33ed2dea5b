import type { RedisClient } from './redis-client.ts';

interface Base {
  /** Redis's clock when it answered `TIME`, in milliseconds. */
  readonly redisMs: number;
  /** This process's monotonic clock at the middle of that round trip. */
  readonly monotonicMs: number;
  /** When the base was taken, by the monotonic clock. */
  readonly takenAt: number;
}

/** A `TIME` still unanswered after this long is not waited for by new callers. */
const STALE_SYNC_MS = 1000;

/**
 * Redis's clock as seen from this process: one `TIME` round trip, then this process's
 * monotonic clock (`performance.now()`) carries it forward, re-synced in the background every
 * `resyncMs`. Records in Redis carry their expiry in this time, so every process computes
 * the same remaining TTL from a plain `GET` whatever its own wall clock says: the error is at
 * most half a round trip plus the drift between re-syncs (and, on a Cluster, the skew between
 * the nodes' clocks).
 */
export class RedisClock {
  readonly #client: RedisClient;
  readonly #resyncMs: number;
  #base: Base | undefined;
  #syncing: Promise<Base> | undefined;
  #syncStartedAt = 0;

  constructor(client: RedisClient, resyncMs: number) {
    this.#client = client;
    this.#resyncMs = resyncMs;
  }

  /** Redis's current time in milliseconds: synchronous once synced. */
  now(): number | Promise<number> {
    const base = this.#base;
    if (base === undefined) return this.sync().then((synced) => this.#estimate(synced));
    // One reading of the monotonic clock serves both the resync check and the estimate.
    const monotonicNow = performance.now();
    if (monotonicNow - base.takenAt >= this.#resyncMs) {
      this.sync().catch(() => {
        // Keep the current base; the next call tries again.
      });
    }
    return base.redisMs + (monotonicNow - base.monotonicMs);
  }

  /**
   * Measures the offset now (one `TIME` round trip); concurrent calls share it, unless it has
   * been waiting for longer than `STALE_SYNC_MS` (a reply lost to a hung or restarted server):
   * then a new one starts, so a lost reply cannot keep the store from recovering.
   */
  sync(): Promise<Base> {
    const now = performance.now();
    if (this.#syncing === undefined || now - this.#syncStartedAt > STALE_SYNC_MS) {
      const syncing: Promise<Base> = this.#measure().finally(() => {
        if (this.#syncing === syncing) this.#syncing = undefined;
      });
      this.#syncing = syncing;
      this.#syncStartedAt = now;
    }
    return this.#syncing;
  }

  async #measure(): Promise<Base> {
    const sent = performance.now();
    const reply = await this.#client.time();
    const received = performance.now();
    const [seconds, microseconds] = reply.map(Number);
    if (
      seconds === undefined ||
      microseconds === undefined ||
      !Number.isFinite(seconds + microseconds)
    ) {
      throw new TypeError('Redis TIME returned an unexpected reply');
    }
    const base = {
      redisMs: seconds * 1000 + microseconds / 1000,
      monotonicMs: (sent + received) / 2,
      takenAt: received,
    };
    this.#base = base;
    return base;
  }

  #estimate(base: Base): number {
    return base.redisMs + (performance.now() - base.monotonicMs);
  }
}
