/**
 * Rampart's building blocks wired into Fastify 5. None of them is a Fastify plugin: each is
 * framework-free, and Fastify only calls it — request logging and metrics take the raw
 * `node:http` request and response in an `onRequest` hook, the rate limiter and the cache are
 * awaited in hooks and handlers, and every error becomes RFC 9457 problem+json in one error
 * handler.
 */
import type { IncomingMessage } from 'node:http';
import { NotFoundError, toProblemResponse } from '@rampart/errors';
import { createBuildingBlocks, type QuoteUpstream } from '@rampart/example-framework-kit';
import { httpRequestLogger, setRequestError } from '@rampart/logger';
import { httpServerMetrics } from '@rampart/metrics';
import { rateLimitedError, rateLimitHeaders } from '@rampart/rate-limiter';
import Fastify from 'fastify';

/** The running service: where it listens, and how to stop it. */
export interface Service {
  /** Starts listening on a free port of 127.0.0.1; resolves to the base URL. */
  listen(): Promise<string>;
  /**
   * Shuts down as SIGTERM would: readiness fails, the server stops accepting and drains, then
   * Fastify's `onClose` hooks run and the cache, limiter, breaker, metrics and logger close.
   */
  close(): Promise<void>;
}

/** Builds the Fastify app and everything it uses. */
export function createService(upstream: QuoteUpstream): Service {
  const blocks = createBuildingBlocks('quotes-fastify', upstream);
  const { logger, metrics, limiter, quotes } = blocks;
  // Only our proxy on this host connects: logs and limits believe it, and only it.
  const logRequests = httpRequestLogger(logger, blocks.proxies);
  const routes = new WeakMap<IncomingMessage, string>(); // route templates, for `http_route`
  const observe = httpServerMetrics(metrics, { routeOf: (request) => routes.get(request) });
  const scrape = metrics.handler();

  // Fastify's own logger stays off: @rampart/logger writes one line per request.
  const app = Fastify({ logger: false, trustProxy: 'loopback' });

  // Probes: answered from the raw request and response, not logged, limited or measured.
  const probes: Readonly<Record<string, (typeof blocks.probes)['/readyz']>> = blocks.probes;
  for (const [path, probe] of Object.entries(probes)) {
    app.get(path, (request, reply) => {
      reply.hijack(); // the handler writes the raw response itself
      probe(request.raw, reply.raw);
    });
  }
  const isProbe = (request: { routeOptions: { url?: string | undefined } }): boolean =>
    request.routeOptions.url !== undefined && request.routeOptions.url in probes;

  app.addHook('onRequest', (request, reply, done) => {
    if (isProbe(request)) return done();
    if (request.routeOptions.url !== undefined) routes.set(request.raw, request.routeOptions.url);
    observe(request.raw, reply.raw);
    logRequests(request.raw, reply.raw, () => done()); // the rest runs in the request's log context
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === '/metrics' || isProbe(request)) return; // not rate limited
    const decision = await limiter.consume(blocks.clientKey(request.raw));
    reply.headers(rateLimitHeaders(decision));
    if (!decision.allowed) throw rateLimitedError(decision);
  });

  app.get('/metrics', (request, reply) => {
    reply.hijack(); // the handler writes the raw response itself
    scrape(request.raw, reply.raw);
  });

  app.get('/hello', async () => ({ message: 'hello' }));

  app.get<{ Params: { symbol: string } }>('/quotes/:symbol', async (request, reply) => {
    const { symbol } = request.params;
    let source = 'hit';
    const quote = await quotes.getOrSet(`quote:${symbol}`, ({ signal }) => {
      source = 'miss';
      return blocks.loadQuote(symbol, signal);
    });
    reply.header('x-cache', source);
    return quote;
  });

  app.setNotFoundHandler((request) => {
    throw new NotFoundError(`No route for ${request.method} ${request.url}`);
  });

  app.setErrorHandler((error, request, reply) => {
    observe.recordError(reply.raw, error); // error_type = the Rampart code
    const problem = toProblemResponse(error, { instance: request.url });
    // One line per request: the request line carries the error (error level only if unexpected).
    setRequestError(reply.raw, error);
    return reply.code(problem.status).headers(problem.headers).send(problem.body);
  });

  return {
    async listen() {
      const url = await app.listen({ port: 0, host: '127.0.0.1' });
      // SIGTERM now drains the server, then runs Fastify's onClose hooks.
      blocks.shutdown.addServer(app.server);
      blocks.shutdown.onShutdown('fastify', () => app.close(), { order: -1 });
      return url;
    },
    close: () => blocks.close(),
  };
}
