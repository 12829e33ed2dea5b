/**
 * Two instances of a product service ("api-1" and "api-2") sharing @rampart/cache through
 * Redis, as two processes would: each has its own Redis connection, its own in-memory L1, and
 * a bus subscription. The example shows, in order:
 *
 * 1. 400 concurrent requests for one product, spread over both instances: one database query
 *    (the distributed lock).
 * 2. A price change on api-1 reaching api-2's L1 through the bus.
 * 3. `deleteByTag` on api-2 hiding a category everywhere, even while the database is down.
 * 4. A slow load on api-1 that started before a delete on api-2: its older value never lands.
 * 5. `getOrSetMany` of 50 products: one query, one Redis read.
 *
 * With REDIS_URL set it uses that Redis; otherwise it starts a throwaway `redis-server`.
 *
 * Run: pnpm --filter @rampart/example-cache-multi-instance start
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { type Cache, createCache } from '@rampart/cache';
import { recommendedRedisOptions, redisBus, redisStore } from '@rampart/cache/redis';
import { Redis } from 'ioredis';
import { exampleRedis } from './local-redis.ts';

interface Product {
  readonly id: number;
  readonly title: string;
  readonly priceCents: number;
  readonly category: string;
}

// The "database": counts its queries, can be made slow or unavailable.
const database = { queries: 0, down: false, delayMs: 20, prices: new Map<number, number>() };
const productOf = (id: number): Product => ({
  id,
  title: `Product ${id}`,
  priceCents: database.prices.get(id) ?? 1000 + id,
  category: id % 2 === 0 ? 'books' : 'music',
});
async function findProduct(id: number, signal: AbortSignal): Promise<Product> {
  database.queries += 1;
  await sleep(database.delayMs, undefined, { signal });
  if (database.down) throw new Error('database unavailable');
  return productOf(id);
}
async function findProducts(ids: readonly number[]): Promise<Map<number, Product>> {
  database.queries += 1;
  await sleep(database.delayMs);
  return new Map(ids.map((id) => [id, productOf(id)]));
}

interface Instance {
  readonly name: string;
  readonly cache: Cache;
  readonly client: Redis;
}

function startInstance(url: string, name: string): Instance {
  const client = new Redis(url, { ...recommendedRedisOptions, connectionName: name });
  client.on('error', () => {
    // Reported through the cache's l2-error events; nothing to do here.
  });
  const cache = createCache({
    name,
    namespace: 'example-shop',
    ttlMs: 60_000,
    graceMs: 10 * 60_000,
    l2: redisStore({ client }),
    bus: redisBus({ client }),
    distributedLock: true,
  });
  return { name, cache, client };
}

const product = (instance: Instance, id: number): Promise<Product> =>
  instance.cache.getOrSet(`product:${id}`, ({ signal }) => findProduct(id, signal), {
    tags: [`category:${productOf(id).category}`],
  });

const redis = await exampleRedis();
if (redis === undefined) {
  console.log('No Redis: set REDIS_URL, or install redis-server, to run this example.');
} else {
  const api1 = startInstance(redis.url, 'api-1');
  const api2 = startInstance(redis.url, 'api-2');
  while ([api1, api2].some(({ cache }) => cache.stats().bus.state !== 'connected')) await sleep(5);
  console.log(`Two instances on ${redis.url}, connected to the bus.`);

  console.log('\n1. 200 concurrent requests for product 1 on each instance');
  const answers = await Promise.all(
    [api1, api2].flatMap((instance) => Array.from({ length: 200 }, () => product(instance, 1))),
  );
  const locks = [api1, api2].map(
    ({ name, cache }) => `${name} ${JSON.stringify(cache.stats().lock)}`,
  );
  console.log(
    `  ${answers.length} answers, ${database.queries} database query (${locks.join('; ')})`,
  );

  console.log('\n2. The price of product 1 changes on api-1');
  const before = await product(api2, 1);
  database.prices.set(1, 1999);
  const received = api2.cache.stats().bus.received;
  const started = performance.now();
  await api1.cache.set('product:1', productOf(1), { tags: ['category:music'] });
  while (api2.cache.stats().bus.received === received) await sleep(1);
  const after = await product(api2, 1);
  console.log(
    `  api-2 had ${before.priceCents}, dropped its copy ${(performance.now() - started).toFixed(1)} ms ` +
      `after the set began, and now answers ${after.priceCents}`,
  );

  console.log('\n3. api-2 deletes the tag category:books while the database is down');
  await product(api1, 2);
  await product(api1, 4);
  database.down = true;
  const heard = api1.cache.stats().bus.received;
  await api2.cache.deleteByTag('category:books');
  while (api1.cache.stats().bus.received === heard) await sleep(1);
  for (const id of [2, 4]) {
    const outcome = await product(api1, id).then(
      (found) => `served ${found.title} (wrong: it was deleted)`,
      (error: Error) => `not served, even from grace: ${error.message}`,
    );
    console.log(`  api-1, product ${id}: ${outcome}`);
  }
  const music = await product(api1, 1);
  console.log(`  api-1, product 1 (another tag): ${music.title} at ${music.priceCents}`);
  database.down = false;

  console.log('\n4. A slow load on api-1 started before a delete on api-2');
  database.delayMs = 100;
  const slow = api1.cache.getOrSet('product:5', ({ signal }) => findProduct(5, signal));
  await sleep(20);
  await api2.cache.delete('product:5');
  const loaded = await slow;
  database.delayMs = 20;
  await sleep(20);
  const afterwards = await Promise.all([api1.cache.get('product:5'), api2.cache.get('product:5')]);
  const held = afterwards.filter((value) => value !== undefined).length;
  console.log(
    `  its caller got ${loaded.title}; afterwards ${held} of the 2 instances hold it ` +
      `(fenced writes on api-1: ${api1.cache.stats().fencedWrites})`,
  );

  console.log('\n5. api-2 loads 50 products in one batch');
  const queriesBefore = database.queries;
  const ids = Array.from({ length: 50 }, (_, index) => 100 + index);
  const batch = await api2.cache.getOrSetMany(
    ids.map((id) => `product:${id}`),
    async ({ keys }) => {
      const found = await findProducts(keys.map((key) => Number(key.slice('product:'.length))));
      return new Map([...found].map(([id, value]) => [`product:${id}`, value]));
    },
  );
  const again = await api1.cache.getMany(ids.map((id) => `product:${id}`));
  console.log(
    `  ${batch.length} products, ${database.queries - queriesBefore} database query; api-1 reads ` +
      `${again.filter((value) => value !== undefined).length} of them from Redis in one MGET`,
  );

  for (const { cache, client } of [api1, api2]) {
    await cache.close();
    await client.quit();
  }
  await redis.stop();
  console.log('\nClosed.');
}
