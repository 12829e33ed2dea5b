/**
 * The Rampart building blocks both framework examples use, none of them tied to a framework:
 * a logger and metrics that observe every package's events, a per-IP rate limiter, a cached
 * quote loader in front of a flaky upstream (retry outside, breaker inside), health checks,
 * and the graceful shutdown that closes all of it in order. With a Redis URL, the limiter and
 * the cache share one Redis connection, opened, logged and closed with the `@rampart/redis`
 * helpers.
 */

import type { IncomingMessage } from 'node:http';
import { type Cache, createCache } from '@rampart/cache';
import { redisStore as cacheStore } from '@rampart/cache/redis';
import { createCircuitBreaker } from '@rampart/circuit-breaker';
import {
  cacheCheck,
  circuitBreakerCheck,
  createHealth,
  createShutdown,
  eventLoopDelayCheck,
  type Health,
  type HealthRequestHandler,
  healthHandler,
  type Shutdown,
  shutdownOrder,
} from '@rampart/health';
import { closeLogger, createLogger, type Logger, logEvents } from '@rampart/logger';
import { createMetrics, instrument, type Metrics } from '@rampart/metrics';
import {
  type ClientIpOptions,
  clientIp,
  createRateLimiter,
  ipKey,
  type RateLimiter,
} from '@rampart/rate-limiter';
import { redisStore as limitStore } from '@rampart/rate-limiter/redis';
import { closeRedis, logRedisErrors, recommendedRedisOptions } from '@rampart/redis';
import { backoff, createRetryPolicy } from '@rampart/retry';
import { Redis } from 'ioredis';
import type { Quote, QuoteUpstream } from './upstream.ts';

/** Everything a framework app wires in, and how to close it. */
export interface BuildingBlocks {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /**
   * Who may tell a client's address: the proxy on this host. The request logger and
   * {@link BuildingBlocks.clientKey} share it, so logs and limits name the same client.
   */
  readonly proxies: ClientIpOptions;
  /** 10 requests a minute per client address. */
  readonly limiter: RateLimiter;
  /** The rate-limit key of a request's client: its address behind {@link BuildingBlocks.proxies}. */
  clientKey(request: IncomingMessage): string;
  /** Quotes for 30 s, served stale for 10 min when the upstream fails. */
  readonly quotes: Cache;
  /** Loads a quote from the upstream through the retry policy and the circuit breaker. */
  loadQuote(symbol: string, signal: AbortSignal): Promise<Quote>;
  /** Liveness (the event loop) and readiness (cache, breaker: degraded is `warn`). */
  readonly health: Health;
  /** `/livez` and `/readyz` as `node:http` handlers, by path. */
  readonly probes: Readonly<Record<'/livez' | '/readyz', HealthRequestHandler>>;
  /**
   * The graceful shutdown, on SIGTERM and SIGINT or `close()`: readiness fails, the servers
   * added with `shutdown.addServer` drain, then the cache, limiter, breaker, metrics and logger
   * close in that order.
   */
  readonly shutdown: Shutdown;
  /** Shuts down now (no drain delay: this is a demo, not behind a load balancer). */
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
  const proxies: ClientIpOptions = { trustProxy: ['loopback'] };
  const eventLoop = eventLoopDelayCheck({ thresholdMs: 1_000 });
  const health = createHealth({
    name: service,
    checks: {
      'event-loop': { check: eventLoop, groups: ['liveness'] },
      quotes: { check: cacheCheck(quotes), critical: false },
      'quotes-upstream': { check: circuitBreakerCheck(breaker), critical: false },
    },
  });
  // No `logger` option: logEvents(logger) above already logs the shutdown's phases.
  const shutdown = createShutdown({ name: service, health, drainDelayMs: 0 });
  shutdown.onShutdown('cache', () => quotes.close(), { order: shutdownOrder.cache });
  shutdown.onShutdown('rate limiter', () => limiter.close(), { order: shutdownOrder.rateLimiter });
  shutdown.onShutdown('breaker', () => breaker.dispose(), { order: shutdownOrder.breakers });
  if (redis !== undefined) {
    shutdown.onShutdown(
      'redis',
      async () => {
        await redisLog?.close();
        await closeRedis(redis, { timeoutMs: 1_000 });
      },
      { order: shutdownOrder.redis },
    );
  }
  shutdown.onShutdown(
    'metrics',
    async () => {
      eventLoop.dispose();
      stopInstrumenting();
      await metrics.close();
    },
    { order: shutdownOrder.metrics },
  );
  shutdown.onShutdown(
    'logger',
    async () => {
      stopLoggingEvents();
      await closeLogger(logger);
    },
    { order: shutdownOrder.logger },
  );
  return {
    logger,
    metrics,
    proxies,
    limiter,
    clientKey: (request) => ipKey(clientIp(request, proxies)),
    quotes,
    loadQuote: (symbol, signal) =>
      retry.execute(({ signal }) => breaker.executeWith({ signal }, symbol), { signal }),
    health,
    probes: {
      '/livez': healthHandler(health, { group: 'liveness' }),
      '/readyz': healthHandler(health, { group: 'readiness', details: 'always' }),
    },
    shutdown,
    async close() {
      await shutdown.start('the scenario is over');
    },
  };
}
