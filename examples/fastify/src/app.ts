/**
 * Rampart's building blocks wired into Fastify 5. None of them is a Fastify plugin: each is
 * framework-free, and Fastify only calls it — request logging and metrics take the raw
 * `node:http` request and response in an `onRequest` hook, the rate limiter and the cache are
 * awaited in hooks and handlers, and every error becomes RFC 9457 problem+json in one error
 * handler.
 */
import type { IncomingMessage } from 'node:http';
import { createCache } from '@rampart/cache';
import { createCircuitBreaker } from '@rampart/circuit-breaker';
import { NotFoundError, toProblemResponse } from '@rampart/errors';
import { closeLogger, createLogger, httpRequestLogger, logEvents } from '@rampart/logger';
import { createMetrics, httpServerMetrics, instrument } from '@rampart/metrics';
import {
  createRateLimiter,
  ipKey,
  rateLimitedError,
  rateLimitHeaders,
} from '@rampart/rate-limiter';
import { backoff, createRetryPolicy } from '@rampart/retry';
import Fastify from 'fastify';
import type { QuoteUpstream } from './upstream.ts';

/** The running service: where it listens, and how to stop it. */
export interface Service {
  /** Starts listening on a free port of 127.0.0.1; resolves to the base URL. */
  listen(): Promise<string>;
  /** Stops accepting, then closes the cache, limiter, breaker, metrics and logger. */
  close(): Promise<void>;
}

/** Builds the Fastify app and everything it uses. */
export function createService(upstream: QuoteUpstream): Service {
  const logger = createLogger({ name: 'quotes-fastify' });
  // Only our proxy on this host connects, so the logger may read X-Forwarded-For.
  const logRequests = httpRequestLogger(logger, { trustProxy: true });
  const metrics = createMetrics({ defaultLabels: { service: 'quotes-fastify' } });
  // Every package's events as metrics (breaker state, retries, limits, cache hits) and as log
  // lines for operators (breaker opened, retry budget exhausted, …): no glue code.
  const stopInstrumenting = instrument(metrics);
  const stopLoggingEvents = logEvents(logger);
  const routes = new WeakMap<IncomingMessage, string>(); // route templates, for `http_route`
  const observe = httpServerMetrics(metrics, { routeOf: (request) => routes.get(request) });
  const scrape = metrics.handler();
  const limiter = createRateLimiter({
    name: 'api',
    limits: [{ name: 'per-ip', limit: 10, windowMs: 60_000 }],
  });
  const quotes = createCache({ name: 'quotes', ttlMs: 30_000, graceMs: 600_000 });
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

  // Fastify's own logger stays off: @rampart/logger writes one line per request.
  const app = Fastify({ logger: false, trustProxy: 'loopback' });

  app.addHook('onRequest', (request, reply, done) => {
    if (request.routeOptions.url !== undefined) routes.set(request.raw, request.routeOptions.url);
    observe(request.raw, reply.raw);
    logRequests(request.raw, reply.raw, () => done()); // the rest runs in the request's log context
  });

  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.url === '/metrics') return; // scrapers are not rate limited
    const decision = await limiter.consume(ipKey(request.ip));
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
      return retry.execute(({ signal }) => breaker.executeWith({ signal }, symbol), { signal });
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
    if (problem.status >= 500) logger.error({ err: error }, 'request failed');
    return reply.code(problem.status).headers(problem.headers).send(problem.body);
  });

  return {
    async listen() {
      return app.listen({ port: 0, host: '127.0.0.1' });
    },
    async close() {
      await app.close(); // stops accepting and waits for requests in flight
      stopInstrumenting();
      stopLoggingEvents();
      await quotes.close();
      await limiter.close();
      await breaker.dispose();
      await metrics.close();
      await closeLogger(logger);
    },
  };
}
