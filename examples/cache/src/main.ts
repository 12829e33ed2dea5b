/**
 * A product catalog behind @rampart/cache. A slow, sometimes failing "database" sits behind
 * a two-tier cache (memory in front of Redis). The example shows, in order: 500 concurrent
 * requests for one product making one database call; a failing database answered from
 * grace; a slow database answered after the soft timeout while the refresh goes on in the
 * background; and what the cache reports about Redis. Then it closes and exits.
 *
 * With REDIS_URL set it uses that Redis. Without it, it points at a port where nothing
 * listens, so you see the cache keep working with Redis down.
 *
 * Run: pnpm --filter @rampart/example-cache start
 */
import { subscribe } from 'node:diagnostics_channel';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CacheL2ErrorEvent,
  type CacheStaleEvent,
  cacheChannels,
  createCache,
  memoryStore,
} from '@rampart/cache';
import { recommendedRedisOptions, redisStore } from '@rampart/cache/redis';
import { Redis } from 'ioredis';

interface Product {
  readonly id: string;
  readonly title: string;
  readonly priceCents: number;
  readonly loadedAt: string;
}

// The "database": counts its calls, can be made slow or unavailable.
const database = { calls: 0, down: false, delayMs: 20 };
async function loadProduct(id: string, signal: AbortSignal): Promise<Product> {
  database.calls += 1;
  await sleep(database.delayMs, undefined, { signal });
  if (database.down) throw new Error('database unavailable');
  return { id, title: `Product ${id}`, priceCents: 1999, loadedAt: new Date().toISOString() };
}

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:1';
// Short reconnect delays: an ioredis client disconnected while it waits to reconnect keeps the
// process alive until that wait ends (ioredis issue #1247).
const redis = new Redis(redisUrl, {
  ...recommendedRedisOptions,
  connectTimeout: 500,
  retryStrategy: () => 200,
});
redis.on('error', () => {
  // Reported through the cache's l2-error events below instead.
});

const cache = createCache({
  name: 'catalog',
  namespace: 'example-catalog',
  ttlMs: 200,
  graceMs: 60_000,
  graceBackoffMs: 0,
  softTimeoutMs: 50,
  storeGuard: { timeoutMs: 50 },
  l1: memoryStore({ maxEntries: 1_000, maxBytes: 1024 * 1024 }),
  l2: redisStore({ client: redis }),
});

subscribe(cacheChannels.stale, (message) => {
  const event = message as CacheStaleEvent;
  console.log(
    `  [event] stale "${event.key}" served (${event.reason}, ${event.staleForMs} ms past its TTL)`,
  );
});
const l2Errors = new Map<string, number>();
subscribe(cacheChannels.l2Error, (message) => {
  const event = message as CacheL2ErrorEvent;
  l2Errors.set(event.code, (l2Errors.get(event.code) ?? 0) + 1);
});

const product = (id: string): Promise<Product> =>
  cache.getOrSet(`product:${id}`, ({ signal }) => loadProduct(id, signal));

console.log(
  `Redis: ${process.env.REDIS_URL === undefined ? `${redisUrl} (nothing listens there: Redis is down)` : redisUrl}`,
);

console.log('\n1. 500 concurrent requests for product 1');
const started = performance.now();
const answers = await Promise.all(Array.from({ length: 500 }, () => product('1')));
console.log(
  `  ${answers.length} answers, ${new Set(answers.map((answer) => answer.loadedAt)).size} distinct, ` +
    `${database.calls} database call, ${Math.round(performance.now() - started)} ms`,
);

console.log('\n2. The TTL passes and the database goes down');
await sleep(250);
database.down = true;
const fromGrace = await product('1');
console.log(`  answered with the value loaded at ${fromGrace.loadedAt} (grace), no error`);
database.down = false;

console.log('\n3. The database becomes slow (500 ms); softTimeoutMs is 50 ms');
database.delayMs = 500;
const slowStart = performance.now();
const fast = await product('1');
console.log(
  `  answered in ${Math.round(performance.now() - slowStart)} ms with the stale value; the refresh goes on`,
);
await sleep(550);
const refreshed = await product('1');
console.log(
  `  later: ${refreshed.loadedAt === fast.loadedAt ? 'not refreshed' : 'refreshed in the background'}`,
);

console.log('\n4. What the cache saw');
const stats = cache.stats();
console.log(
  `  L1: ${stats.l1.hits} hits, ${stats.l1.entries} entries, ~${stats.l1.bytes} bytes; ` +
    `coalesced callers: ${stats.coalesced}; stale served: ${stats.staleServed}; ` +
    `factory calls: ${stats.factory.calls} (${stats.factory.errors} failed)`,
);
console.log(
  `  L2: ${stats.l2.hits} hits, ${stats.l2.errors} errors (${[...l2Errors].map(([code, count]) => `${code} × ${count}`).join(', ') || 'none'}), ` +
    `${stats.l2.skipped} calls skipped while cooling down, state: ${stats.l2.state}`,
);

await cache.close();
redis.disconnect();
console.log('\nClosed.');
