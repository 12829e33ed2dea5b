/**
 * L1 hits: `getOrSet` of a hot key and of 10,000 keys, against bentocache and cache-manager
 * (all in memory), and a stampede of 1,000 concurrent misses. Run: `pnpm bench cache`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import { createCache, memoryStore } from '../src/index.ts';
import { bentoMemory, cacheManager, HOUR_MS, Keyv } from './peers.ts';
import { loadersOf, worstStampedes } from './stampede.ts';

const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, index) => `user:${index}`);
const sampleValue = (key: string) => ({ key, name: 'Ada Lovelace', roles: ['admin', 'author'] });

const rampart = createCache({ ttlMs: HOUR_MS, l1: memoryStore({ maxEntries: 20_000 }) });
const bento = bentoMemory({ maxItems: 20_000, serialize: true });
const bentoRaw = bentoMemory({ maxItems: 20_000, serialize: false });
const manager = cacheManager([new Keyv()]);

for (const key of keys) {
  await rampart.getOrSet(key, () => sampleValue(key));
  await bento.getOrSet({ key, factory: () => sampleValue(key), ttl: HOUR_MS });
  await bentoRaw.getOrSet({ key, factory: () => sampleValue(key), ttl: HOUR_MS });
  await manager.wrap(key, () => sampleValue(key), HOUR_MS);
}

const hot = keys[42] ?? 'user:42';
const hotFactory = () => sampleValue(hot);
const hotKey = await compare('getOrSet, L1 hit on one hot key', {
  baseline: 'bentocache',
  cases: [
    {
      name: 'bentocache',
      fn: () => bento.getOrSet({ key: hot, factory: hotFactory, ttl: HOUR_MS }),
    },
    {
      name: 'bentocache, serialize: false',
      fn: () => bentoRaw.getOrSet({ key: hot, factory: hotFactory, ttl: HOUR_MS }),
    },
    { name: 'cache-manager', fn: () => manager.wrap(hot, hotFactory, HOUR_MS) },
    { name: '@rampart/cache', fn: () => rampart.getOrSet(hot, hotFactory) },
  ],
});

let next = 0;
const nextKey = (): string => keys[next++ % KEYS] ?? hot;
const manyKeys = await compare('getOrSet, L1 hits spread over 10,000 keys', {
  baseline: 'bentocache',
  cases: [
    {
      name: 'bentocache',
      fn: () => {
        const key = nextKey();
        return bento.getOrSet({ key, factory: () => sampleValue(key), ttl: HOUR_MS });
      },
    },
    {
      name: 'bentocache, serialize: false',
      fn: () => {
        const key = nextKey();
        return bentoRaw.getOrSet({ key, factory: () => sampleValue(key), ttl: HOUR_MS });
      },
    },
    {
      name: 'cache-manager',
      fn: () => {
        const key = nextKey();
        return manager.wrap(key, () => sampleValue(key), HOUR_MS);
      },
    },
    {
      name: '@rampart/cache',
      fn: () => {
        const key = nextKey();
        return rampart.getOrSet(key, () => sampleValue(key));
      },
    },
  ],
});

const stampedeRows = await worstStampedes(loadersOf({ bento, manager, rampart }));

const speedup = (result: typeof hotKey, name = '@rampart/cache') =>
  ratio(result.rows.find((row) => row.name === name)?.relativeToBaseline ?? 0);
const overRaw = (result: typeof hotKey) => {
  const rows = result.rows;
  const ours = rows.find((row) => row.name === '@rampart/cache')?.nsPerOp ?? 0;
  const raw = rows.find((row) => row.name === 'bentocache, serialize: false')?.nsPerOp ?? 0;
  return ratio(ours === 0 ? 0 : raw / ours);
};

await report('cache.l1', {
  title: '@rampart/cache: L1 hits and stampedes',
  rerun: 'pnpm bench cache',
})
  .text(
    'Every library holds the same 10,000 values (a small object) in memory and answers ' +
      '`getOrSet` (cache-manager: `wrap`) from it. bentocache runs with its defaults (its memory ' +
      'tier serialises values, so each hit parses JSON) and with `serialize: false`; ' +
      'cache-manager uses its default Keyv memory store.',
  )
  .compareTable(hotKey)
  .compareTable(manyKeys)
  .text(
    `@rampart/cache is ${speedup(hotKey)} as fast as bentocache on a hot key ` +
      `(${overRaw(hotKey)} against bentocache with \`serialize: false\`), and ${speedup(manyKeys)} ` +
      `across 10,000 keys (${overRaw(manyKeys)}).`,
  )
  .heading('Stampede: 1,000 concurrent misses of one key (memory only)')
  .text(
    'Factory calls made, worst of 5 rounds (the factory takes 1 ms). Lower is better; 1 is ideal.',
  )
  .table(['library', 'factory calls'], stampedeRows)
  .write();

await rampart.close();
await Promise.all([bento.disconnectAll(), bentoRaw.disconnectAll()]);
await manager.disconnect();
