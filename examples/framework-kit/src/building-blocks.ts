/**
 * The Rampart building blocks both framework examples use, none of them tied to a framework:
 * a logger and metrics that observe every package's events, a per-IP rate limiter, and a
 * cached quote loader in front of a flaky upstream (retry outside, breaker inside). With a
 * Redis URL, the limiter and the cache share one Redis connection, opened, logged and closed
 * with the `@rampart/redis` helpers.
 */
import { type Cache, createCache } from '@rampart/cache';
import { redisStore as cacheStore } from '@rampart/cache/redis';
import { createCircuitBreaker } from '@rampart/circuit-breaker';
import { closeLogger, createLogger, type Logger, logEvents } from '@rampart/logger';
import { createMetrics, instrument, type Metrics } from '@rampart/metrics';
import { createRateLimiter, type RateLimiter } from '@rampart/rate-limiter';
import { redisStore as limitStore } from '@rampart/rate-limiter/redis';
import { closeRedis, logRedisErrors, recommendedRedisOptions } from '@rampart/redis';
import { backoff, createRetryPolicy } from '@rampart/retry';
import { Redis } from 'ioredis';
import type { Quote, QuoteUpstream } from './upstream.ts';

/** Everything a framework app wires in, and how to close it. */
export interface BuildingBlocks {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** 10 requests a minute per client address. */
  readonly limiter: RateLimiter;
  /** Quotes for 30 s, served stale for 10 min when the upstream fails. */
  readonly quotes: Cache;
  /** Loads a quote from the upstream through the retry policy and the circuit breaker. */
  loadQuote(symbol: string, signal: AbortSignal): Promise<Quote>;
  /** Stops observing events and closes the cache, limiter, Redis, breaker, metrics and logger. */
  close(): Promise<void>;
}

/**
 * Creates the building blocks of a service called `service`, in memory, or on the Redis at
 * `redisUrl` (by default `REDIS_URL`).
 */
export function createBuildingBlocks(
  service: string,
  upstream: QuoteUpstream,
  redisUrl: string | undefined = process.env.REDIS_URL,
): BuildingBlocks {
  const logger = createLogger({ name: service });
  const metrics = createMetrics({ defaultLabels: { service } });
  // Every package's events as metrics (breaker state, retries, limits, cache hits) and as log
  // lines for operators (breaker opened, retry budget exhausted, …): no glue code.
  const stopInstrumenting = instrument(metrics);
  const stopLoggingEvents = logEvents(logger);
  // Calls made while the client still connects wait for it within their deadline; while
  // Redis is down the limiter's fallback and the cache's L1 answer, and the outage is
  // logged in a few lines.
  const redis = redisUrl === undefined ? undefined : new Redis(redisUrl, recommendedRedisOptions);
  const redisLog =
    redis === undefined
      ? undefined
      : logRedisErrors(redis, { log: logger.child({ component: 'redis' }) });
  const limiter = createRateLimiter({
    name: 'api',
    limits: [{ name: 'per-ip', limit: 10, windowMs: 60_000 }],
    ...(redis === undefined
      ? {}
      : {
          prefix: `${service}:rl:`,
          store: limitStore({ client: redis }),
          // Generous for a demo that shares a busy machine; 50 ms (the default) in production.
          storeTimeoutMs: 1_000,
        }),
  });
  const quotes = createCache({
    name: 'quotes',
    namespace: service,
    ttlMs: 30_000,
    graceMs: 600_000,
    ...(redis === undefined ? {} : { l2: cacheStore({ client: redis }) }),
  });
  // Retry outside, breaker inside: every attempt counts towards opening the circuit, and an
  // open circuit fails the call at once instead of being retried.
  const breaker = createCircuitBreaker(
    (symbol: string, signal: AbortSignal) => upstream.fetchQuote(symbol, signal),
    { name: 'quotes-upstream', timeoutMs: 1_000, volumeThreshold: 5, resetTimeoutMs: 30_000 },
  );
  const retry = createRetryPolicy({
    name: 'quotes-upstream',
    retries: 2,
    backoff: backoff.fullJitter({ baseMs: 20, maxMs: 200 }),
    maxElapsedMs: 3_000,
    onRetry: ({ attempt, delayMs, error }) =>
      logger.warn({ err: error, attempt, delayMs }, 'quote upstream failed, retrying'),
  });
  return {
    logger,
    metrics,
    limiter,
    quotes,
    loadQuote: (symbol, signal) =>
      retry.execute(({ signal }) => breaker.executeWith({ signal }, symbol), { signal }),
    async close() {
      stopInstrumenting();
      stopLoggingEvents();
      await quotes.close();
      await limiter.close();
      await redisLog?.close();
      if (redis !== undefined) await closeRedis(redis, { timeoutMs: 1_000 });
      await breaker.dispose();
      await metrics.close();
      await closeLogger(logger);
    },
  };
}
