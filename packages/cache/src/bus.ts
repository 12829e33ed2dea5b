/**
 * What a {@link CacheBus} calls back for one subscription.
 *
 * @group Store implementers
 */
export interface CacheBusHandlers {
  /** A message published by another subscriber of the same namespace (or by this one). */
  message(payload: string): void;
  /**
   * The subscription is (again) active. Everything published while it was not may have been
   * missed: the cache flushes its L1.
   */
  connected(): void;
  /** The subscription stopped receiving (connection lost, server hung). */
  disconnected(): void;
}

/**
 * One namespace's subscription to a {@link CacheBus}.
 *
 * @group Store implementers
 */
export interface CacheBusSubscription {
  /** Whether messages are being received now. */
  readonly connected: boolean;
  /**
   * Publishes `payload` to every subscriber of the namespace, this one included. Rejects
   * when it cannot (the cache bounds the call with its deadline and retries).
   */
  publish(payload: string, signal: AbortSignal): Promise<void>;
  /** Stops delivering messages and frees what the subscription holds. */
  close(): Promise<void>;
}

/**
 * Carries invalidations between the instances of a cache: keys, tags and clears, never
 * values. `redisBus` from `@rampart/cache/redis` is the built-in one (Redis pub/sub, sharded
 * on a Cluster). Implement this interface to use another transport. Payloads are opaque
 * strings produced by the cache.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache } from '@rampart/cache';
 * import { recommendedRedisOptions, redisBus, redisStore } from '@rampart/cache/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({
 *   ttlMs: 60_000,
 *   l2: redisStore({ client }),
 *   bus: redisBus({ client }),
 * });
 * ```
 *
 * @group Store implementers
 */
export interface CacheBus {
  /** Starts receiving `namespace`'s messages. `handlers.connected` runs once it is active. */
  subscribe(namespace: string, handlers: CacheBusHandlers): CacheBusSubscription;
  /** Ends every subscription and closes what the bus owns (its subscriber connections). */
  close(): Promise<void>;
}
