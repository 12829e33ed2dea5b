import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createCache } from '@rampart/cache';
import { NotFoundError, toProblemResponse } from '@rampart/errors';
import { closeLogger, createLogger, httpRequestLogger, setRequestError } from '@rampart/logger';
import {
  applyRateLimitHeaders,
  clientIp,
  createRateLimiter,
  ipKey,
  rateLimitedError,
} from '@rampart/rate-limiter';
import { findProduct, type Product } from './database.ts';

// Who may tell a client's address: here a proxy on this machine (loopback) — list yours.
// Logs and limits share it, so both name the same client.
const proxies = { trustProxy: ['loopback'] };
const logger = createLogger({ name: 'catalog' });
const logRequests = httpRequestLogger(logger, proxies);
const limiter = createRateLimiter({
  limits: [{ name: 'per-ip', limit: 10, windowMs: 60_000 }],
});
const products = createCache({ name: 'products', ttlMs: 60_000, graceMs: 600_000 });

async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
  // 1. Rate limit by client address, before any work.
  const decision = await limiter.consume(ipKey(clientIp(request, proxies)));
  applyRateLimitHeaders(response, decision);
  if (!decision.allowed) throw rateLimitedError(decision);

  // 2. Route; anything else is a 404 problem.
  const id = /^\/products\/(\w+)$/.exec(request.url ?? '')?.[1];
  if (id === undefined) throw new NotFoundError(`No route for ${request.method} ${request.url}`);

  // 3. Cached load: concurrent misses make one database call.
  const product = await products.getOrSet<Product>(`product:${id}`, ({ signal }) =>
    findProduct(id, signal),
  );
  response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(product));
}

export const server: Server = createServer((request, response) => {
  // 4. Every request gets an id and one log line; lines written while handling it carry the id.
  logRequests(request, response, () => {
    handle(request, response).catch((error: unknown) => {
      // 5. Every error becomes RFC 9457 problem+json; 5xx details never reach the client.
      const problem = toProblemResponse(error, { instance: request.url ?? '/' });
      setRequestError(response, error); // written on the request's own line
      response.writeHead(problem.status, problem.headers).end(problem.body);
    });
  });
});

/** Stops accepting, lets requests in flight finish, then closes what the server opened. */
export async function shutdown(): Promise<void> {
  await new Promise((resolve) => server.close(resolve));
  await products.close();
  await limiter.close();
  await closeLogger(logger);
}
