import type { Logger } from '@rampart/logger';
import type { ServiceConfig } from './config.ts';
import type { HttpServer } from './server.ts';

/** The pieces a shutdown stops, in the order it stops them. */
export interface ShutdownSteps {
  /** Marks the service as draining (`/readyz` answers 503). */
  beginDraining(): void;
  /** Aborts the signals of requests still running after the drain deadline. */
  abortRequests(): void;
  cache(): Promise<void>;
  breaker(): Promise<void>;
  limiter(): Promise<void>;
  redis(): Promise<void>;
  /** Unsubscribes metrics and event logging. */
  telemetry(): Promise<void>;
  /** Flushes and closes the logger: last, so every step above is logged. */
  logger(): Promise<void>;
}

/** How long requests get to answer after their signal aborted, before connections are cut. */
const ABORT_GRACE_MS = 500;

/**
 * The graceful shutdown sequence, run once however often it is asked for:
 *
 * 1. stop accepting connections and mark the service as draining (`/readyz` → 503, responses
 *    on open keep-alive connections carry `Connection: close`, idle ones are closed);
 * 2. wait for in-flight requests, up to `shutdownTimeoutMs`;
 * 3. past that deadline, abort what is left (handlers answer 503), give them a moment, then
 *    cut the remaining connections;
 * 4. close the cache (aborting background refreshes), the breaker, the rate limiter and Redis;
 * 5. stop the instrumentation and the event logging, release the metrics;
 * 6. flush and close the logger.
 *
 * Each step is logged; a step that fails is logged and does not stop the ones after it.
 */
export function createShutdown(parts: {
  config: ServiceConfig;
  http: HttpServer;
  logger: Logger;
  steps: ShutdownSteps;
}): () => Promise<void> {
  const { config, http, logger, steps } = parts;
  let closing: Promise<void> | undefined;

  const attempt = async (name: string, step: () => Promise<void>): Promise<void> => {
    try {
      await step();
    } catch (error) {
      logger.error({ err: error, step: name }, `shutdown: closing the ${name} failed`);
    }
  };

  const run = async (): Promise<void> => {
    const started = performance.now();
    const elapsed = (): number => Math.round(performance.now() - started);
    steps.beginDraining();
    http.stopAccepting();
    const inFlight = http.inFlight();
    logger.info(
      { inFlight },
      `shutdown: stopped accepting connections, draining ${inFlight} requests`,
    );
    let drained = await http.drained(config.shutdownTimeoutMs);
    if (drained) {
      logger.info({ durationMs: elapsed() }, 'shutdown: every in-flight request finished');
    } else {
      const left = http.inFlight();
      logger.warn(
        { inFlight: left, shutdownTimeoutMs: config.shutdownTimeoutMs },
        `shutdown: ${left} requests still running after ${config.shutdownTimeoutMs} ms; aborting them`,
      );
      steps.abortRequests();
      drained = await http.drained(ABORT_GRACE_MS);
    }
    await http.closeConnections();
    await attempt('cache', steps.cache);
    await attempt('breaker', steps.breaker);
    await attempt('rate limiter', steps.limiter);
    await attempt('Redis connection', steps.redis);
    const redis = config.redisUrl !== undefined || config.redisClusterNodes !== undefined;
    logger.info(
      { durationMs: elapsed() },
      `shutdown: closed the cache, breaker${redis ? ', rate limiter and Redis' : ' and rate limiter'}`,
    );
    await attempt('telemetry', steps.telemetry);
    logger.info({ durationMs: elapsed(), drained }, 'shutdown complete');
    await attempt('logger', steps.logger);
  };

  return () => {
    closing ??= run();
    return closing;
  };
}
