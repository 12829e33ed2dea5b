/**
 * Rampart's building blocks wired into Express 5. None of them is an Express plugin: each is
 * framework-free, and Express only calls it — request logging and metrics are plain
 * `(req, res, next)` functions, the rate limiter and the cache are awaited in handlers, and
 * every error becomes RFC 9457 problem+json in one error handler.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { NotFoundError, toProblemResponse } from '@rampart/errors';
import { createBuildingBlocks, type QuoteUpstream } from '@rampart/example-framework-kit';
import { httpRequestLogger, setRequestError } from '@rampart/logger';
import { httpServerMetrics } from '@rampart/metrics';
import { applyRateLimitHeaders, rateLimitedError } from '@rampart/rate-limiter';
import express, { type ErrorRequestHandler } from 'express';

/** The running service: where it listens, and how to stop it. */
export interface Service {
  /** Starts listening on a free port of 127.0.0.1; resolves to the base URL. */
  listen(): Promise<string>;
  /**
   * Shuts down as SIGTERM would: readiness fails, the server stops accepting and drains, then
   * the cache, limiter, breaker, metrics and logger close.
   */
  close(): Promise<void>;
}

/** Builds the Express app and everything it uses. */
export function createService(upstream: QuoteUpstream): Service {
  const blocks = createBuildingBlocks('quotes-express', upstream);
  const { logger, metrics, limiter, quotes } = blocks;
  const observe = httpServerMetrics(metrics); // Express's matched route is the `http_route`

  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback'); // clients reach us through a proxy on this host
  // Probes first: they are not logged, limited or measured like client requests.
  for (const [path, probe] of Object.entries(blocks.probes)) app.get(path, probe);
  app.use(httpRequestLogger(logger, blocks.proxies), observe);
  app.get('/metrics', metrics.handler());

  app.use(async (request, response, next) => {
    const decision = await limiter.consume(blocks.clientKey(request));
    applyRateLimitHeaders(response, decision);
    if (!decision.allowed) throw rateLimitedError(decision); // Express 5 passes it on
    next();
  });

  app.get('/hello', (_request, response) => {
    response.json({ message: 'hello' });
  });

  app.get('/quotes/:symbol', async (request, response) => {
    const { symbol } = request.params;
    let source = 'hit';
    const quote = await quotes.getOrSet(`quote:${symbol}`, ({ signal }) => {
      source = 'miss';
      return blocks.loadQuote(symbol, signal);
    });
    response.set('x-cache', source).json(quote);
  });

  app.use((request) => {
    throw new NotFoundError(`No route for ${request.method} ${request.path}`);
  });

  const renderProblem: ErrorRequestHandler = (error, request, response, _next) => {
    observe.recordError(response, error); // error_type = the Rampart code
    const problem = toProblemResponse(error, { instance: request.originalUrl });
    // One line per request: the request line carries the error (error level only if unexpected).
    setRequestError(response, error);
    response.status(problem.status).set(problem.headers).end(problem.body);
  };
  app.use(renderProblem);

  return {
    async listen() {
      const server = app.listen(0, '127.0.0.1');
      blocks.shutdown.addServer(server); // SIGTERM now drains it before anything closes
      await once(server, 'listening');
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => blocks.close(),
  };
}
