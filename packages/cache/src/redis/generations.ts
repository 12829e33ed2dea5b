import { randomBytes } from 'node:crypto';
import { generationScript, runScript } from './lua-script.ts';
import type { RedisClient } from './redis-client.ts';

interface Known {
  value: string;
  fetchedAt: number;
  refreshing: Promise<string> | undefined;
}

/** A new generation id: random, so a lost generation key can never resurrect old entries. */
export function newGeneration(): string {
  return randomBytes(6).toString('base64url');
}

/**
 * The current generation of each namespace. Data keys embed it, so `clear()` replaces it
 * (one `SET`) and every entry of the old generation becomes unreachable and expires by its
 * own TTL: no `KEYS`, no `SCAN`, O(1) on any keyspace and Cluster-safe. Each process reads
 * the generation once, then refreshes it in the background at most every `refreshMs`, so a
 * `clear()` elsewhere reaches it within that bound (at once in the process that cleared).
 */
export class Generations {
  readonly #client: RedisClient;
  readonly #prefix: string;
  readonly #refreshMs: number;
  readonly #known = new Map<string, Known>();
  /** Bumped by {@link Generations.forget}, so a read that raced it is not remembered. */
  #forgets = 0;

  constructor(client: RedisClient, prefix: string, refreshMs: number) {
    this.#client = client;
    this.#prefix = prefix;
    this.#refreshMs = refreshMs;
  }

  /** The key that holds `namespace`'s generation. */
  keyOf(namespace: string): string {
    return `${this.#prefix}${namespace}:generation`;
  }

  /** The generation to use now: cached (refreshed in the background when due) or fetched. */
  current(namespace: string): string | Promise<string> {
    const known = this.#known.get(namespace);
    if (known === undefined) return this.#fetch(namespace);
    if (performance.now() - known.fetchedAt >= this.#refreshMs && known.refreshing === undefined) {
      known.refreshing = this.#fetch(namespace);
      known.refreshing.catch(() => {
        // Keep using the cached generation; the next call tries again.
      });
    }
    return known.value;
  }

  /** Forgets the cached generation of `namespace`: the next call reads it again. */
  forget(namespace: string): void {
    this.#forgets += 1;
    this.#known.delete(namespace);
  }

  /**
   * Starts a new generation of `namespace`: every older entry becomes unreachable. It is
   * used at once, so commands sent after this one (on the same connection) use it; if Redis
   * refuses it, the generation is read again.
   */
  async replace(namespace: string): Promise<void> {
    const value = newGeneration();
    const written = this.#client.set(this.keyOf(namespace), value);
    this.#forgets += 1;
    this.#remember(namespace, value);
    try {
      await written;
    } catch (error) {
      if (this.#known.get(namespace)?.value === value) this.forget(namespace);
      throw error;
    }
  }

  async #fetch(namespace: string): Promise<string> {
    const known = this.#known.get(namespace);
    const forgets = this.#forgets;
    try {
      const value = await runScript(
        this.#client,
        generationScript,
        [this.keyOf(namespace)],
        [newGeneration()],
      );
      if (typeof value !== 'string')
        throw new TypeError('the generation script returned no string');
      if (forgets === this.#forgets) this.#remember(namespace, value);
      return value;
    } finally {
      if (known !== undefined) known.refreshing = undefined;
    }
  }

  #remember(namespace: string, value: string): void {
    const known = this.#known.get(namespace);
    if (known === undefined) {
      this.#known.set(namespace, { value, fetchedAt: performance.now(), refreshing: undefined });
      return;
    }
    known.value = value;
    known.fetchedAt = performance.now();
  }
}
