import { type Cache, createCache } from '@rampart/cache';
import { redisStore as cacheRedisStore } from '@rampart/cache/redis';
import { UnavailableError } from '@rampart/errors';
import type { Health } from '@rampart/health';
import type { Logger } from '@rampart/logger';
import { createRateLimiter, type RateLimiter } from '@rampart/rate-limiter';
import { redisStore as rateLimitRedisStore } from '@rampart/rate-limiter/redis';
import { adminRoutes } from './admin-routes.ts';
import { apiRoutes } from './api-routes.ts';
import { createApp } from './app.ts';
import { type Catalog, createCatalog } from './catalog.ts';
import { createClientAddressResolver } from './client-address.ts';
import { parseServiceConfig, type ServiceConfig, type ServiceOptions } from './config.ts';
import { createServiceHealth, type ServiceHealth } from './health.ts';
import { connectRedis, type RedisConnection } from './redis.ts';
import { createRouteRecorder, createRouter, type Route } from './router.ts';
import { createHttpServer, type HttpServer } from './server.ts';
import { createServiceShutdown } from './shutdown.ts';
import { createTelemetry } from './telemetry.ts';
import { createUpstream, type Upstream } from './upstream.ts';

/** A running service, from {@link startService}. */
export interface RunningService {
  /** The base URL it listens on, e.g. `http://127.0.0.1:3000`. */
  readonly url: string;
  /** The configuration it runs with, defaults applied. */
  readonly config: ServiceConfig;
  /** The service's logger (closed by {@link RunningService.close}). */
  readonly logger: Logger;
  /** The simulated upstream, to script outages without the admin surface. */
  readonly upstream: Upstream;
  /** The health registry behind `/healthz` and `/readyz`. */
  readonly health: Health;
  /**
   * Shuts down gracefully: readiness fails, the server stops accepting connections and drains
   * in-flight requests (cutting off what is left after `shutdownTimeoutMs`), then the cache,
   * the rate limiter, the breaker, Redis, the metrics and finally the logger close. Idempotent:
   * later calls return the same promise. Never rejects.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** How the process around the service behaves. */
export interface StartRuntime {
  /**
   * Signals that start the graceful shutdown (a second one forces the exit).
   * @default [] — a service started in a test or a script is closed with `close()`.
   */
  readonly signals?: readonly NodeJS.Signals[];
}

function createStores(
  config: ServiceConfig,
  redis: RedisConnection | undefined,
): { cache: Cache; limiter: RateLimiter } {
  const cache = createCache({
    name: 'products',
    namespace: `${config.name}.products`,
    ttlMs: config.cache.ttlMs,
    graceMs: config.cache.graceMs,
    softTimeoutMs: config.cache.softTimeoutMs,
    hardTimeoutMs: config.cache.hardTimeoutMs,
    // The same deadline as the limiter's, for the same bursts.
    ...(redis === undefined
      ? {}
      : { l2: cacheRedisStore({ client: redis.client }), storeGuard: { timeoutMs: 200 } }),
  });
  const limiter = createRateLimiter({
    name: 'clients',
    prefix: `${config.name}:rl:`,
    ...(config.rateLimits === undefined ? {} : { limits: config.rateLimits }),
    // A burst of concurrent decisions queues behind the Redis round trip: a 200 ms deadline
    // keeps a healthy but busy Redis answering (see "Sizing storeGuard.timeoutMs for bursts").
    ...(redis === undefined
      ? {}
      : {
          store: rateLimitRedisStore({ client: redis.client }),
          storeGuard: { timeoutMs: 200 },
        }),
  });
  return { cache, limiter };
}

/**
 * Starts the hardened service: validates `options` (see {@link ServiceOptions}), connects to
 * Redis when configured (the cache's L2 tier and the rate limiter's store; memory otherwise),
 * composes the packages and listens. Resolves once it accepts requests.
 *
 * @throws {@link ConfigurationError} naming every invalid option.
 * @example
 * ```ts
 * const service = await startService({ port: 0, redisUrl: process.env.REDIS_URL });
 * const response = await fetch(`${service.url}/api/products/p-1`);
 * await service.close();
 * ```
 */
export async function startService(
  options: ServiceOptions = {},
  runtime: StartRuntime = {},
): Promise<RunningService> {
  const config = parseServiceConfig(options);
  const shutdownController = new AbortController();

  const requestRoutes = createRouteRecorder();
  const telemetry = createTelemetry(config, requestRoutes.routeOf, requestRoutes.isLogged);
  const { logger, metrics } = telemetry;

  // What is open so far, closed in reverse order if the start fails half-way.
  const opened: (() => Promise<void>)[] = [() => telemetry.closeLogger(), () => telemetry.stop()];
  let redis: RedisConnection | undefined;
  let cache: Cache;
  let limiter: RateLimiter;
  let catalog: Catalog;
  let upstream: Upstream;
  let http: HttpServer;
  let url: string;
  let serviceHealth: ServiceHealth;
  try {
    redis = await connectRedis(config, logger);
    const connected = redis;
    opened.push(async () => connected?.close());
    ({ cache, limiter } = createStores(config, redis));
    const stores = { cache, limiter };
    opened.push(
      () => stores.cache.close(),
      () => stores.limiter.close(),
    );
    upstream = createUpstream(config.upstream, config.random);
    catalog = createCatalog(config, upstream, cache);
    const breaker = catalog.breaker;
    opened.push(() => breaker.dispose());
    serviceHealth = createServiceHealth({ redis, breaker, cache });
    const sampling = serviceHealth.eventLoop;
    opened.push(async () => sampling.dispose());
    const scrape = metrics.handler();
    const routes: Route[] = [
      ...serviceHealth.routes,
      {
        method: 'GET',
        template: '/metrics',
        limited: false,
        logged: false,
        handle: ({ request, response }) => scrape(request, response),
      },
      ...apiRoutes(catalog, config.maxBodyBytes),
      ...(config.adminToken === undefined
        ? []
        : adminRoutes({
            token: config.adminToken,
            upstream,
            breaker,
            cache,
            maxBodyBytes: config.maxBodyBytes,
            logger,
          })),
    ];
    const app = createApp({
      match: createRouter(routes),
      routes: requestRoutes,
      limiter,
      telemetry,
      clientAddressOf: createClientAddressResolver(config.trustedProxies),
      requestDeadlineMs: config.requestDeadlineMs,
      shutdownSignal: shutdownController.signal,
    });
    http = createHttpServer(config, app);
    url = await http.listen();
  } catch (error) {
    for (const close of opened.reverse()) await close().catch(() => {});
    throw error;
  }
  logger.info(
    {
      url,
      redis: redis?.mode ?? 'none',
      trustedProxies: config.trustedProxies,
      admin: config.adminToken !== undefined,
    },
    `listening on ${url}`,
  );

  const connection = redis;
  const { health, eventLoop } = serviceHealth;
  const shutdown = createServiceShutdown({
    config,
    http,
    health,
    logger,
    signals: runtime.signals ?? [],
    steps: {
      abortRequests: () =>
        shutdownController.abort(new UnavailableError('The service is shutting down')),
      cache: () => cache.close(),
      breaker: () => catalog.breaker.dispose(),
      limiter: () => limiter.close(),
      redis: connection === undefined ? undefined : () => connection.close(),
      metrics: async () => {
        eventLoop.dispose();
        await telemetry.stop();
      },
      logger: () => telemetry.closeLogger(),
    },
  });
  const close = async (): Promise<void> => {
    await shutdown.start('close()');
  };
  return { url, config, logger, upstream, health, close, [Symbol.asyncDispose]: close };
}
