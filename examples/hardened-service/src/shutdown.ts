import type { Health } from '@rampart/health';
import { createShutdown, type Shutdown, shutdownOrder } from '@rampart/health';
import type { Logger } from '@rampart/logger';
import type { ServiceConfig } from './config.ts';
import type { HttpServer } from './server.ts';

/** The pieces a shutdown stops. */
export interface ShutdownSteps {
  /** Aborts the signals of requests still running after the drain deadline. */
  abortRequests(): void;
  cache(): Promise<void>;
  breaker(): Promise<void>;
  limiter(): Promise<void>;
  /** Closes the Redis connection; absent without Redis. */
  redis: (() => Promise<void>) | undefined;
  /** Unsubscribes the metrics instrumentation and releases the metrics. */
  metrics(): Promise<void>;
  /** Flushes and closes the logger (and its event logging): last, so every step is logged. */
  logger(): Promise<void>;
}

/** How long requests get to answer after their signal aborted, before connections are cut. */
const ABORT_GRACE_MS = 500;
/** Time for everything after the HTTP drain (cache, breaker, limiter, Redis, metrics, logs). */
const CLOSE_MARGIN_MS = 5_000;

/**
 * The graceful shutdown, through `createShutdown` from `@rampart/health`, on `signals` or
 * `shutdown.start()`:
 *
 * 1. readiness fails at once (`/readyz` answers 503);
 * 2. the HTTP server stops accepting connections (responses on open keep-alive connections
 *    carry `Connection: close`, idle ones are closed) and in-flight requests get up to
 *    `shutdownTimeoutMs`; past it, what is left is aborted (handlers answer 503) and, after a
 *    moment, the remaining connections are cut;
 * 3. the cache (aborting background refreshes), the rate limiter, the breaker, Redis and the
 *    metrics close, in that order (`shutdownOrder`), each step logged; one that fails is logged
 *    and the next one runs;
 * 4. the logger flushes and closes, last.
 *
 * The whole sequence has a deadline (`shutdownTimeoutMs` plus 5 s); past it, or on a second
 * signal, the process exits at once saying what was still running. No drain delay here: in
 * Kubernetes, add a `preStop` sleep or a `drainDelayMs` (see docs/health.md).
 */
export function createServiceShutdown(parts: {
  config: ServiceConfig;
  http: HttpServer;
  health: Health;
  logger: Logger;
  signals: readonly NodeJS.Signals[];
  steps: ShutdownSteps;
}): Shutdown {
  const { config, http, health, logger, signals, steps } = parts;
  const shutdown = createShutdown({
    name: config.name,
    signals,
    health,
    drainDelayMs: 0,
    timeoutMs: config.shutdownTimeoutMs + ABORT_GRACE_MS + CLOSE_MARGIN_MS,
  });

  shutdown.onShutdown(
    'HTTP server',
    async () => {
      http.stopAccepting();
      const inFlight = http.inFlight();
      logger.info(
        { inFlight },
        `shutdown: stopped accepting connections, draining ${inFlight} requests`,
      );
      if (await http.drained(config.shutdownTimeoutMs)) {
        logger.info('shutdown: every in-flight request finished');
      } else {
        const left = http.inFlight();
        logger.warn(
          { inFlight: left, shutdownTimeoutMs: config.shutdownTimeoutMs },
          `shutdown: ${left} requests still running after ${config.shutdownTimeoutMs} ms; aborting them`,
        );
        steps.abortRequests();
        await http.drained(ABORT_GRACE_MS);
      }
      await http.closeConnections();
    },
    { order: -1 },
  );
  shutdown.onShutdown('cache', steps.cache, { order: shutdownOrder.cache });
  shutdown.onShutdown('rate limiter', steps.limiter, { order: shutdownOrder.rateLimiter });
  shutdown.onShutdown('breaker', steps.breaker, { order: shutdownOrder.breakers });
  const { redis } = steps;
  if (redis !== undefined) {
    shutdown.onShutdown('Redis connection', redis, { order: shutdownOrder.redis });
  }
  shutdown.onShutdown('metrics', steps.metrics, { order: shutdownOrder.metrics });
  shutdown.onShutdown('logger', steps.logger, { order: shutdownOrder.logger });
  return shutdown;
}
