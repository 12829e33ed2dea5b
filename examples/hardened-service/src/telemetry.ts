import {
  closeLogger,
  createLogger,
  type HttpRequestLoggerHandler,
  httpRequestLogger,
  type Logger,
  logEvents,
} from '@rampart/logger';
import {
  createMetrics,
  type HttpServerMetricsMiddleware,
  httpServerMetrics,
  instrument,
  type Metrics,
} from '@rampart/metrics';
import type { ServiceConfig } from './config.ts';

/** Logs and metrics of the service, and how to stop them. */
export interface Telemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Starts RED metrics for a request (`http_server_request_duration_seconds`, …). */
  readonly observe: HttpServerMetricsMiddleware;
  /** Gives a request its id (`x-request-id`) and logs one line when it ends. */
  readonly logRequests: HttpRequestLoggerHandler;
  /** Unsubscribes the instrumentation and releases the metrics. */
  stop(): Promise<void>;
  /** Stops the event logging, flushes and closes the logger; the last step of a shutdown. */
  closeLogger(): Promise<void>;
}

/**
 * Sets up the logger, the metrics and the two bridges from every Rampart package's
 * diagnostics channels: `instrument(metrics)` records breaker states, rate-limit decisions,
 * cache hits, retries… as Prometheus series, and `logEvents(logger)` logs what an operator
 * must know (a breaker opened, a store fell back, Redis came back) without flooding.
 */
export function createTelemetry(
  config: ServiceConfig,
  routeOf: (request: object) => string | undefined,
  isLogged: (request: object) => boolean,
): Telemetry {
  const logger = createLogger({
    name: config.name,
    destination: config.logDestination,
    ...(config.logLevel === undefined ? {} : { level: config.logLevel }),
  });
  const metrics = createMetrics({
    name: config.name,
    defaultLabels: { service: config.name },
    collectDefaultMetrics: config.processMetrics,
  });
  const stopInstrumenting = instrument(metrics);
  const stopLoggingEvents = logEvents(logger);
  const observe = httpServerMetrics(metrics, { routeOf });
  const logRequests = httpRequestLogger(logger, {
    // The same proxies as the rate limits' client address: logs and limits name one client.
    trustProxy: config.trustedProxies,
    slowMs: 1_000,
    ignore: (request) => !isLogged(request),
  });

  return {
    logger,
    metrics,
    observe,
    logRequests,
    async stop() {
      stopInstrumenting(); // the event logging stops with the logger, so the shutdown is logged
      await metrics.close();
    },
    async closeLogger() {
      stopLoggingEvents();
      await closeLogger(logger, { timeoutMs: 2_000 });
    },
  };
}
