/**
 * Several cache instances in one process sharing one in-memory L2 and one in-memory bus,
 * for unit tests of the multi-instance logic with fake timers.
 */
import type { Cache, CacheOptions } from '../src/index.ts';
import { createCache } from '../src/index.ts';
import { type MemoryBus, memoryBus } from './memory-bus.ts';
import { type MemoryL2, type MemoryL2Options, memoryL2 } from './memory-l2.ts';

export interface Instances {
  readonly caches: Cache[];
  readonly l2: MemoryL2;
  readonly bus: MemoryBus;
  /** Adds one more instance with the shared L2 and bus. */
  add(options?: Partial<CacheOptions>): Cache;
}

export function instances(
  count: number,
  options: Partial<CacheOptions> = {},
  l2Options: MemoryL2Options = {},
): Instances {
  const l2 = memoryL2({ features: true, ...l2Options });
  const bus = memoryBus();
  const caches: Cache[] = [];
  const add = (extra: Partial<CacheOptions> = {}): Cache => {
    const cache = createCache({ ttlMs: 60_000, namespace: 'multi', l2, bus, ...options, ...extra });
    caches.push(cache);
    return cache;
  };
  for (let index = 0; index < count; index += 1) add();
  return { caches, l2, bus, add };
}
