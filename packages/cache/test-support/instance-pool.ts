/**
 * Cache instances for the multi-instance suites: each on its own client, store and bus (as
 * separate processes would be), opened against a {@link MultiInstanceTarget} and closed
 * together at the end.
 */
import type { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import type { Cache, CacheOptions } from '../src/index.ts';
import { createCache } from '../src/index.ts';
import type { RedisClient } from '../src/redis.ts';
import { redisBus, redisStore } from '../src/redis.ts';
import type { RedisTarget } from './redis-contract.ts';

/** A deployment for the suite: the contract's, plus its master nodes and ACL users. */
export interface MultiInstanceTarget extends RedisTarget {
  /** The master nodes behind `client` (the client itself on a single node). */
  nodes(client: RedisClient): Redis[];
  /** A new ready client that authenticates as `username`. */
  connectAs(username: string, password: string): Promise<RedisClient>;
}

/** One cache instance and its client. */
export interface Instance {
  readonly cache: Cache;
  readonly client: RedisClient;
}

let namespaces = 0;
/** How long the suites give the bus to deliver or reconnect. */
export const BUS_BOUND_MS = 2_000;

/** Opens instances, waits for the bus, and closes everything it opened. */
export class InstancePool {
  readonly target: MultiInstanceTarget;
  readonly clients: RedisClient[] = [];
  readonly #caches: Cache[] = [];

  constructor(target: MultiInstanceTarget) {
    this.target = target;
  }

  /** A namespace no other test uses. */
  freshNamespace(): string {
    return `multi-${process.pid}-${++namespaces}`;
  }

  /** One instance: its own client, store and bus (with a subscriber of its own). */
  async open(namespace: string, options: Partial<CacheOptions> = {}): Promise<Instance> {
    const client = await this.target.connect();
    this.clients.push(client);
    const cache = createCache({
      ttlMs: 600_000,
      namespace,
      l2TimeoutMs: 1000,
      l2: redisStore({ client, generationRefreshMs: 600_000 }),
      bus: redisBus({ client, heartbeatMs: 500 }),
      ...options,
    });
    this.#caches.push(cache);
    return { cache, client };
  }

  /** `count` instances of a fresh namespace, their buses connected. */
  async openMany(count: number, options: Partial<CacheOptions> = {}): Promise<Instance[]> {
    const namespace = this.freshNamespace();
    const opened = await Promise.all(
      Array.from({ length: count }, () => this.open(namespace, options)),
    );
    await this.connected(opened);
    return opened;
  }

  /** Waits until every instance's bus is connected. */
  connected(opened: readonly Instance[]): Promise<void> {
    return vi.waitFor(
      () => {
        for (const { cache } of opened) expect(cache.stats().bus.state).toBe('connected');
      },
      { timeout: BUS_BOUND_MS, interval: 5 },
    );
  }

  /** Waits until every instance received every message the others published. */
  delivered(opened: readonly Instance[]): Promise<void> {
    return vi.waitFor(
      () => {
        const published = opened.map(({ cache }) => cache.stats().bus.published);
        const total = published.reduce((sum, count) => sum + count, 0);
        for (const [index, { cache }] of opened.entries()) {
          expect(cache.stats().bus.received).toBe(total - (published[index] ?? 0));
        }
      },
      { timeout: BUS_BOUND_MS, interval: 2 },
    );
  }

  /** Runs a command on every master behind `client`. */
  everyNode(client: RedisClient, ...args: (string | number)[]): Promise<unknown[]> {
    return Promise.all(
      this.target.nodes(client).map((node) => node.call(String(args[0]), ...args.slice(1))),
    );
  }

  /** Closes every cache and client it opened. */
  async close(): Promise<void> {
    await Promise.all(this.#caches.map((cache) => cache.close()));
    await Promise.all(this.clients.map((client) => client.quit().catch(() => undefined)));
  }
}
