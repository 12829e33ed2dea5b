import type { IncomingMessage, ServerResponse } from 'node:http';

/** Options of `metrics.handler()`. */
export interface MetricsHandlerOptions {
  /**
   * Gzip the scrape when the client accepts it (Prometheus always does) and it is at least
   * 1 KiB. Compression runs on libuv's thread pool, off the event loop.
   * @default `true` — a 12,000-series scrape shrinks about twentyfold.
   */
  readonly compress?: boolean;
}

/**
 * A `node:http` request handler serving the scrape: `GET` and `HEAD` only (405 otherwise),
 * Prometheus text or OpenMetrics chosen from `Accept`, gzip when accepted, and
 * `Cache-Control: no-store`. It also fits Express and Connect (`app.get('/metrics', handler)`).
 */
export type MetricsHandler = (request: IncomingMessage, response: ServerResponse) => void;
