/**
 * Cross-instance invalidation latency against a real redis-server: how long after one
 * instance starts a `set` another instance has dropped its L1 copy, for @rampart/cache's bus
 * and bentocache's, against a bare Redis `PUBLISH` → message as the floor. Two instances in
 * one process, each on its own connections. Run: `pnpm bench cache`.
 */
import { once } from 'node:events';
import { ratio, report } from '@rampart/bench-kit';
import { startRedisServer } from '@rampart/test-harness';
import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
import { redisBusDriver, redisDriver } from 'bentocache/drivers/redis';
import { Redis } from 'ioredis';
import { type CacheBus, createCache } from '../src/index.ts';
import { recommendedRedisOptions, redisBus, redisStore } from '../src/redis.ts';
import { HOUR_MS } from './peers.ts';

const SAMPLES = 400;
const server = await startRedisServer();
const connection = { host: server.host, port: server.port };
const connect = async (): Promise<Redis> => {
  const client = new Redis(server.url, recommendedRedisOptions);
  await once(client, 'ready');
  return client;
};

// Bare pub/sub: the floor any bus on Redis pays.
const publisher = await connect();
const subscriber = new Redis(server.url);
await subscriber.subscribe('bench:raw');

const [clientA, clientB] = await Promise.all([connect(), connect()]);
/** Calls `onHandled` after the cache has handled each message (its L1 copy is gone). */
const observed = (bus: CacheBus, onHandled: () => void): CacheBus => ({
  subscribe: (namespace, handlers) =>
    bus.subscribe(namespace, {
      ...handlers,
      message: (payload) => {
        handlers.message(payload);
        onHandled();
      },
    }),
  close: () => bus.close(),
});
let handled: (() => void) | undefined;
const rampart = (client: Redis, onHandled = () => {}) =>
  createCache({
    namespace: 'bench-invalidation',
    ttlMs: HOUR_MS,
    l2: redisStore({ client }),
    bus: observed(redisBus({ client }), onHandled),
  });
const ourWriter = rampart(clientA);
const ourReader = rampart(clientB, () => handled?.());
while (ourReader.stats().bus.state !== 'connected' || ourWriter.stats().bus.state !== 'connected') {
  await new Promise((resolve) => setTimeout(resolve, 5));
}

const bento = () =>
  new BentoCache({
    default: 'cache',
    stores: {
      cache: bentostore()
        .useL1Layer(memoryDriver({ maxItems: 1000 }))
        .useL2Layer(redisDriver({ connection }))
        .useBus(redisBusDriver({ connection })),
    },
  });
const bentoWriter = bento();
const bentoReader = bento();
/** Resolves the next time the bentocache reader handles a bus message. */
const bentoHeard = (): Promise<void> =>
  new Promise((resolve) => bentoReader.once('bus:message:received', () => resolve()));
// bentocache subscribes on first use: warm both up until the reader hears the writer.
await bentoReader.getOrSet({ key: 'warm', factory: () => 0, ttl: HOUR_MS });
for (let attempt = 0; attempt < 100; attempt += 1) {
  const heard = bentoHeard().then(() => true);
  await bentoWriter.set({ key: 'warm', value: attempt, ttl: HOUR_MS });
  const timeout = new Promise<false>((resolve) => setTimeout(() => resolve(false), 50));
  if (await Promise.race([heard, timeout])) break;
}

/** One sample of each, in milliseconds from the write's start to the other side's reaction. */
const measure = {
  async raw(): Promise<number> {
    const started = performance.now();
    const delivered = once(subscriber, 'message');
    await publisher.publish('bench:raw', 'x');
    await delivered;
    return performance.now() - started;
  },
  async rampart(sample: number): Promise<number> {
    await ourReader.get('k'); // the reader holds an L1 copy
    const delivered = new Promise<void>((resolve) => {
      handled = resolve;
    });
    const started = performance.now();
    const written = ourWriter.set('k', sample);
    await delivered;
    const latency = performance.now() - started;
    await written;
    return latency;
  },
  async bentocache(sample: number): Promise<number> {
    await bentoReader.get({ key: 'k' });
    const delivered = bentoHeard();
    const started = performance.now();
    const written = bentoWriter.set({ key: 'k', value: sample, ttl: HOUR_MS });
    await delivered;
    const latency = performance.now() - started;
    await written;
    return latency;
  },
};
type Name = keyof typeof measure;
const samples: Record<Name, number[]> = { raw: [], rampart: [], bentocache: [] };
await ourWriter.set('k', -1);
await bentoWriter.set({ key: 'k', value: -1, ttl: HOUR_MS });
for (let sample = 0; sample < SAMPLES; sample += 1) {
  // Interleaved, so every library sees the same machine noise.
  for (const name of Object.keys(measure) as Name[]) {
    samples[name].push(await measure[name](sample));
  }
}

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
};
const floor = quantile(samples.raw, 0.5);
const row = (label: string, name: Name) => {
  const values = samples[name];
  const p50 = quantile(values, 0.5);
  return [
    label,
    ratio(p50 / floor),
    `${(p50 * 1000).toFixed(0)} µs`,
    `${(quantile(values, 0.9) * 1000).toFixed(0)} µs`,
    `${(quantile(values, 0.99) * 1000).toFixed(0)} µs`,
  ];
};
const ours = quantile(samples.rampart, 0.5);
const theirs = quantile(samples.bentocache, 0.5);

await report('cache.invalidation', {
  title: '@rampart/cache: invalidation latency across instances',
  rerun: 'pnpm bench cache',
})
  .text(
    `Two instances in one process, each with its own connections to a real \`redis-server\` on ` +
      `localhost. Each of ${SAMPLES} samples: the reader holds the key in L1, the writer starts ` +
      'a `set`, and the clock stops when the reader has received the invalidation (and dropped ' +
      'its copy). @rampart/cache writes Redis (one script call) and then publishes; bentocache ' +
      'does the same with its Redis bus. The floor is a bare `PUBLISH` until the subscriber ' +
      'receives it. Ratios are medians relative to that floor (lower is better).',
  )
  .table(
    ['', 'median vs bare PUBLISH', 'median', 'p90', 'p99'],
    [
      row('bare Redis PUBLISH → message', 'raw'),
      row('@rampart/cache: set → other instance invalidated', 'rampart'),
      row('bentocache: set → other instance invalidated', 'bentocache'),
    ],
  )
  .text(
    `@rampart/cache invalidates another instance in ${ratio(ours / floor)} the time of a bare ` +
      `publish (the write to Redis comes first, so others never re-read the old value), ` +
      `${ratio(theirs / ours)} as fast as bentocache. Absolute times are indicative only.`,
  )
  .write();

await Promise.all([ourWriter.close(), ourReader.close()]);
await Promise.all([bentoWriter.disconnectAll(), bentoReader.disconnectAll()]);
for (const client of [publisher, subscriber, clientA, clientB]) client.disconnect();
await server.stop();
