/**
 * A plain node:http JSON API limited per client address with @rampart/rate-limiter: every
 * response carries the IETF draft-10 `RateLimit-Policy` / `RateLimit` headers (and the legacy
 * `X-RateLimit-*` ones); a client over its limit gets a 429 with `Retry-After` and an RFC 9457
 * problem+json body. Decisions are also observed through `node:diagnostics_channel`.
 * It starts, calls itself, prints what a client sees, and exits.
 *
 * Uses Redis when `REDIS_URL` is set (limits shared by every server process), memory otherwise.
 * Run: pnpm --filter @rampart/example-rate-limiter-http start
 */
import { subscribe } from 'node:diagnostics_channel';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { toProblemResponse } from '@rampart/errors';
import {
  applyRateLimitHeaders,
  clientIp,
  createRateLimiter,
  ipKey,
  type RateLimiterDecisionEvent,
  type RateLimitStore,
  rateLimitedError,
  rateLimiterChannels,
} from '@rampart/rate-limiter';
import { recommendedRedisOptions, redisStore } from '@rampart/rate-limiter/redis';
import { closeRedis, waitForRedis } from '@rampart/redis';
import { Redis } from 'ioredis';

// Metrics would count these; the key (a client address) is kept out of the labels.
const rejectedBy = new Map<string, number>();
subscribe(rateLimiterChannels.decision, (message) => {
  const event = message as RateLimiterDecisionEvent;
  for (const policy of event.violatedPolicies) {
    rejectedBy.set(policy, (rejectedBy.get(policy) ?? 0) + 1);
  }
});

const redisUrl = process.env.REDIS_URL;
const client = redisUrl ? new Redis(redisUrl, recommendedRedisOptions) : undefined;
const store: RateLimitStore | undefined = client ? redisStore({ client }) : undefined;
// Optional: calls made while the client connects wait for it within `storeTimeoutMs`.
if (client) await waitForRedis(client, { timeoutMs: 5_000 });

const limiter = createRateLimiter({
  name: 'http-api',
  limits: [
    // At most 5 requests at once, then one every 2 s (GCRA: smooth, exact retry times).
    { name: 'burst', limit: 5, windowMs: 10_000 },
    // And at most 100 an hour, counted in a sliding window.
    { name: 'hour', limit: 100, windowMs: 3_600_000, algorithm: 'sliding-window' },
  ],
  store,
  prefix: `example:${process.pid}:`,
});

// Who may tell a client's address: one proxy hop in front of this server (a load balancer).
// Without it every client behind the balancer would share the balancer's address, and limit.
const proxies = { trustProxy: 1 };

const server = createServer(async (request, response) => {
  const decision = await limiter.consume(ipKey(clientIp(request, proxies)));
  applyRateLimitHeaders(response, decision, { format: 'both' });
  if (!decision.allowed) {
    const problem = toProblemResponse(rateLimitedError(decision), { instance: request.url });
    response.writeHead(problem.status, problem.headers).end(problem.body);
    return;
  }
  response
    .writeHead(200, { 'content-type': 'application/json' })
    .end(JSON.stringify({ greeting: 'hello' }));
});
server.listen(0, '127.0.0.1');
await once(server, 'listening');
const { port } = server.address() as AddressInfo;
console.log(`Listening on http://127.0.0.1:${port} (store: ${client ? 'Redis' : 'memory'})\n`);

for (let call = 1; call <= 7; call++) {
  const response = await fetch(`http://127.0.0.1:${port}/greeting`);
  console.log(`GET /greeting #${call} → ${response.status}`);
  console.log(`  RateLimit-Policy: ${response.headers.get('ratelimit-policy')}`);
  console.log(`  RateLimit:        ${response.headers.get('ratelimit')}`);
  if (response.status === 429) {
    console.log(`  Retry-After:      ${response.headers.get('retry-after')}`);
    console.log(`  ${response.headers.get('content-type')}: ${await response.text()}`);
  } else {
    await response.arrayBuffer();
  }
}

// Another client behind the same balancer has its own limit: the balancer appended its address.
const other = await fetch(`http://127.0.0.1:${port}/greeting`, {
  headers: { 'x-forwarded-for': '198.51.100.7' },
});
await other.arrayBuffer();
console.log(`\nGET /greeting from 198.51.100.7 (X-Forwarded-For) → ${other.status}`);

console.log(`\nRejections by policy: ${JSON.stringify(Object.fromEntries(rejectedBy))}`);
server.close();
server.closeAllConnections();
await limiter.close();
if (client) await closeRedis(client);
