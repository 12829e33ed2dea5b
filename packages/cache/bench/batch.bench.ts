/**
 * Batches against a real redis-server: `getOrSetMany` of 100 keys against 100 concurrent
 * `getOrSet` calls (and bentocache's, which has no batch), when the keys are in Redis and when
 * they are missing everywhere. Reports the Redis commands each way costs (from
 * `INFO commandstats`) and the time. Run: `pnpm bench cache`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import { startRedisServer } from '@rampart/test-harness';
import { Redis } from 'ioredis';
import { createCache } from '../src/index.ts';
import { recommendedRedisOptions, redisBus, redisStore } from '../src/redis.ts';
import { bentoTiered, HOUR_MS } from './peers.ts';

const BATCH = 100;
const server = await startRedisServer();
const ours = new Redis(server.url, recommendedRedisOptions);
const theirs = new Redis(server.url);
const admin = new Redis(server.url);
await Promise.all(
  [ours, theirs, admin].map((client) => new Promise((resolve) => client.once('ready', resolve))),
);

// No L1 in ours and a one-entry L1 in bentocache: every call reaches Redis.
const rampart = createCache({
  namespace: 'bench-batch',
  ttlMs: HOUR_MS,
  l1: false,
  l2: redisStore({ client: ours }),
  bus: redisBus({ client: ours }),
});
const bento = bentoTiered(theirs, 1);
while (rampart.stats().bus.state !== 'connected')
  await new Promise((resolve) => setTimeout(resolve, 5));

const value = (key: string) => ({ key, title: 'A product', price: 1999 });
const hotKeys = Array.from({ length: BATCH }, (_, index) => `product:${index}`);
await rampart.getOrSetMany(hotKeys, ({ keys }) => new Map(keys.map((key) => [key, value(key)])));
for (const key of hotKeys) await bento.set({ key, value: value(key), ttl: HOUR_MS });

let round = 0;
/** 100 keys nobody has seen: every call misses, loads and writes back. */
const coldKeys = (): string[] => {
  round += 1;
  return Array.from({ length: BATCH }, (_, index) => `cold:${round}:${index}`);
};

type Case = { readonly name: string; readonly run: (keys: readonly string[]) => Promise<unknown> };
const cases: Case[] = [
  {
    name: `${BATCH} × getOrSet (concurrent)`,
    run: (keys) => Promise.all(keys.map((key) => rampart.getOrSet(key, () => value(key)))),
  },
  {
    name: `getOrSetMany of ${BATCH}`,
    run: (keys) =>
      rampart.getOrSetMany(
        keys,
        ({ keys: missing }) => new Map(missing.map((key) => [key, value(key)])),
      ),
  },
  {
    name: `bentocache: ${BATCH} × getOrSet (concurrent)`,
    run: (keys) =>
      Promise.all(
        keys.map((key) => bento.getOrSet({ key, factory: () => value(key), ttl: HOUR_MS })),
      ),
  },
];

/** Counts the commands a client sends (each one a request on the wire). */
let sent = 0;
for (const client of [ours, theirs]) {
  const send = client.sendCommand.bind(client);
  client.sendCommand = (...args: Parameters<typeof send>) => {
    sent += 1;
    return send(...args);
  };
}

/**
 * Per call of `run`, averaged over `calls` calls: the commands the client sent, and the
 * commands Redis executed (`INFO commandstats`, which also counts those a script runs).
 */
async function commandsPerCall(
  run: () => Promise<unknown>,
  calls = 20,
): Promise<{ sent: number; executed: number }> {
  await run(); // scripts loaded, connections warm
  await new Promise((resolve) => setTimeout(resolve, 50));
  await admin.config('RESETSTAT');
  const before = sent;
  for (let call = 0; call < calls; call += 1) await run();
  await new Promise((resolve) => setTimeout(resolve, 50)); // background write-backs
  const after = sent;
  const stats = String(await admin.info('commandstats'));
  let executed = 0;
  for (const [, command, count] of stats.matchAll(/cmdstat_([\w|]+):calls=(\d+)/g)) {
    if (command === 'info' || command === 'ping' || command?.startsWith('config')) continue;
    executed += Number(count);
  }
  return { sent: (after - before) / calls, executed: executed / calls };
}

const rows: (string | number)[][] = [];
for (const scenario of ['in Redis', 'missing'] as const) {
  for (const { name, run } of cases) {
    const counts = await commandsPerCall(() => run(scenario === 'in Redis' ? hotKeys : coldKeys()));
    rows.push([
      scenario,
      name,
      Math.round(counts.sent * 10) / 10,
      Math.round(counts.executed * 10) / 10,
    ]);
  }
}

const hits = await compare(`${BATCH} keys in Redis, none in L1`, {
  baseline: `${BATCH} × getOrSet (concurrent)`,
  cases: cases.map(({ name, run }) => ({ name, fn: () => run(hotKeys) })),
});
const misses = await compare(`${BATCH} keys missing everywhere (factory and write-back)`, {
  baseline: `${BATCH} × getOrSet (concurrent)`,
  cases: cases.map(({ name, run }) => ({ name, fn: () => run(coldKeys()) })),
});
const speedup = (result: typeof hits) =>
  ratio(result.rows.find((row) => row.name.startsWith('getOrSetMany'))?.relativeToBaseline ?? 0);
const command = (scenario: string, prefix: string) =>
  Number(rows.find((row) => row[0] === scenario && String(row[1]).startsWith(prefix))?.[2] ?? 0);

await report('cache.batch', {
  title: '@rampart/cache: batches (getOrSetMany)',
  rerun: 'pnpm bench cache',
})
  .text(
    `Against a real \`redis-server\` on localhost. \`getOrSetMany\` of ${BATCH} keys against ${BATCH} ` +
      '`getOrSet` calls made at once (`Promise.all`), without an L1 so every call reaches Redis; ' +
      'bentocache (no batch API) with a one-entry L1 in front of the same Redis for reference. ' +
      'Ours runs with a bus, so write-backs are published. "Missing" uses new keys on every call: ' +
      'each key is loaded by the factory and written back to Redis.',
  )
  .heading('Redis commands per call')
  .text(
    '"Sent" counts the requests the client wrote (one per command or script call); "executed" ' +
      'is what `INFO commandstats` counts on the server, including the commands a script runs ' +
      '(a fenced write is one script call that runs `GET` and `SET` per key). On a single node a ' +
      'batch reads with one `MGET`, writes back with one script call and publishes one bus ' +
      'message; on a Cluster it needs one read and one write per slot involved (sent in ' +
      'parallel). Commands sent at once share round trips (ioredis pipelines them), so the time ' +
      'below is the other half of the story.',
  )
  .table(['keys', 'calls', 'commands sent', 'commands executed'], rows)
  .compareTable(hits)
  .compareTable(misses)
  .text(
    `With the keys in Redis, one \`getOrSetMany\` sends ${command('in Redis', 'getOrSetMany')} command ` +
      `instead of ${command('in Redis', `${BATCH} ×`)} and runs ${speedup(hits)} as fast as ${BATCH} ` +
      `\`getOrSet\`; with the keys missing, it sends ${command('missing', 'getOrSetMany')} commands ` +
      `instead of ${command('missing', `${BATCH} ×`)} and runs ${speedup(misses)} as fast.`,
  )
  .write();

await rampart.close();
await bento.disconnectAll();
ours.disconnect();
theirs.disconnect();
admin.disconnect();
await server.stop();
