import type { Cache } from '@rampart/cache';
import { type CircuitBreaker, createCircuitBreaker } from '@rampart/circuit-breaker';
import { backoff, createRetryPolicy, type RetryPolicy } from '@rampart/retry';
import type { ServiceConfig } from './config.ts';
import type { Product, Upstream } from './upstream.ts';

/**
 * How a product was served, judged by the copy's age as an HTTP cache would: `miss` (fetched
 * from the upstream while this request waited, by it or by a request it joined), `hit` (a
 * copy younger than the TTL), `stale` (an expired copy within grace stood in because the
 * upstream failed or was slow).
 */
export type CacheStatus = 'hit' | 'miss' | 'stale';

/** Products from the upstream, through the cache, retries and the circuit breaker. */
export interface Catalog {
  /**
   * The product `id`, from the cache or the upstream.
   * @throws {@link NotFoundError} when the catalog has no such product.
   * @throws {@link CircuitOpenError} when the breaker is open and nothing is cached.
   * @throws {@link UpstreamError} when every attempt failed and nothing is cached.
   * @throws {@link TimeoutError} when the load ran past the cache's hard timeout or the signal's deadline.
   */
  product(
    id: string,
    signal: AbortSignal,
  ): Promise<{ product: Product; cache: CacheStatus; ageMs: number }>;
  /** The breaker guarding the upstream, for readiness and shutdown. */
  readonly breaker: CircuitBreaker<[string], Product>;
  readonly retry: RetryPolicy;
}

/**
 * Composes the resilience stack in front of the upstream, outermost first: the cache (fresh
 * values, single-flight loads, stale values within grace when loading fails or is slow),
 * then the retry policy (jittered backoff, a retry budget and a deadline), then the circuit
 * breaker (a timeout per call, a capacity, and fast failure while the upstream is down).
 * Retry outside, breaker inside: every attempt counts toward the breaker's failure rate, and
 * once it opens, attempts are refused at once instead of piling onto the upstream.
 */
export function createCatalog(config: ServiceConfig, upstream: Upstream, cache: Cache): Catalog {
  const breaker = createCircuitBreaker(
    (id: string, signal: AbortSignal) => upstream.fetchProduct(id, signal),
    {
      name: 'catalog',
      timeoutMs: config.breaker.timeoutMs,
      volumeThreshold: config.breaker.volumeThreshold,
      errorThresholdPercentage: config.breaker.errorThresholdPercentage,
      rollingWindowMs: config.breaker.rollingWindowMs,
      resetTimeoutMs: config.breaker.resetTimeoutMs,
      maxResetTimeoutMs: Math.max(config.breaker.maxResetTimeoutMs, config.breaker.resetTimeoutMs),
      capacity: config.breaker.capacity,
    },
  );
  const retry = createRetryPolicy({
    name: 'catalog',
    retries: config.retry.retries,
    backoff: backoff.fullJitter({
      baseMs: config.retry.baseDelayMs,
      maxMs: config.retry.maxDelayMs,
    }),
    maxDelayMs: config.retry.maxDelayMs,
    maxElapsedMs: config.retry.maxElapsedMs,
  });
  const load = (id: string, signal: AbortSignal): Promise<Product> =>
    retry.execute((attempt) => breaker.executeWith({ signal: attempt.signal }, id), { signal });

  return {
    breaker,
    retry,
    async product(id, signal) {
      const requested = Date.now();
      const product = await cache.getOrSet(id, (context) => load(id, context.signal), { signal });
      // As an HTTP cache decides: by the copy's age (the upstream stamps each copy).
      const fetchedAt = Date.parse(product.fetchedAt);
      const status: CacheStatus =
        fetchedAt >= requested
          ? 'miss'
          : Date.now() - fetchedAt > config.cache.ttlMs
            ? 'stale'
            : 'hit';
      return { product, cache: status, ageMs: Math.max(0, Date.now() - fetchedAt) };
    },
  };
}
