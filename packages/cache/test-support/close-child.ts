/**
 * Spawned by the lifecycle tests: starts a load that never finishes (its factory ignores
 * nothing but its signal), a soft and a hard timeout, and, when CHILD_REDIS_URL is set, L2
 * traffic, a bus subscription and a distributed lock held (and renewed) by the load; then
 * closes the cache (and quits the client). The process must exit on its own.
 */
import { Redis } from 'ioredis';
import { createCache } from '../src/index.ts';
import { recommendedRedisOptions, redisBus, redisStore } from '../src/redis.ts';

const url = process.env.CHILD_REDIS_URL;
const client = url === undefined ? undefined : new Redis(url, recommendedRedisOptions);
if (client !== undefined) await new Promise((resolve) => client.once('ready', resolve));
const cache = createCache({
  ttlMs: 60_000,
  graceMs: 60_000,
  softTimeoutMs: 30_000,
  hardTimeoutMs: 60_000,
  ...(client === undefined
    ? {}
    : {
        l2: redisStore({ client }),
        bus: redisBus({ client }),
        distributedLock: { leaseMs: 300 },
        earlyRefresh: true,
      }),
});
if (client !== undefined) {
  // Wait for the subscription, so closing it is part of what is proven.
  while (cache.stats().bus.state !== 'connected')
    await new Promise((resolve) => setTimeout(resolve, 5));
}
await cache.set('warm', 1);
const pending = cache.getOrSet(
  'never',
  ({ signal }) =>
    new Promise((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason));
    }),
);
await new Promise((resolve) => setImmediate(resolve));
await cache.close();
const outcome = await pending.then(
  () => 'resolved',
  (error: { code?: string }) => `closed: ${error.code}`,
);
process.stdout.write(`${outcome}\n`);
await client?.quit();
