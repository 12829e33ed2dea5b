/**
 * The stampede of l1.bench.ts and tiered.bench.ts: 1,000 callers ask for one missing key at
 * once, through each library's get-or-set, with a factory that takes 1 ms.
 */
import type { BentoCache, bentostore } from 'bentocache';
import type { Cache } from '../src/index.ts';
import { type cacheManager, HOUR_MS } from './peers.ts';

/** One library's get-or-set. */
export type Loader = (key: string, factory: () => Promise<unknown>) => Promise<unknown>;

/** Factory calls when 1,000 callers ask for one missing key at once, with a 1 ms factory. */
export async function stampede(load: Loader, round: number): Promise<number> {
  let calls = 0;
  const factory = async () => {
    calls += 1;
    await new Promise((resolve) => setTimeout(resolve, 1));
    return { round };
  };
  const key = `stampede:${round}`;
  await Promise.all(Array.from({ length: 1000 }, () => load(key, factory)));
  return calls;
}

/** The get-or-set of each library, by the name the reports show. */
export function loadersOf(caches: {
  readonly bento: BentoCache<{ cache: ReturnType<typeof bentostore> }>;
  readonly manager: ReturnType<typeof cacheManager>;
  readonly rampart: Cache;
}): Record<string, Loader> {
  const { bento, manager, rampart } = caches;
  return {
    bentocache: (key, factory) => bento.getOrSet({ key, factory, ttl: HOUR_MS }),
    'cache-manager': (key, factory) => manager.wrap(key, factory, HOUR_MS),
    '@rampart/cache': (key, factory) => rampart.getOrSet(key, factory),
  };
}

/** Per library, the most factory calls of 5 stampedes (rounds 0 to 4): one table row each. */
export async function worstStampedes(
  loaders: Record<string, Loader>,
): Promise<(string | number)[][]> {
  const rows: (string | number)[][] = [];
  for (const [name, load] of Object.entries(loaders)) {
    const counts: number[] = [];
    for (let round = 0; round < 5; round += 1) counts.push(await stampede(load, round));
    rows.push([name, Math.max(...counts)]);
  }
  return rows;
}
