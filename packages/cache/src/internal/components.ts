import type { ParsedCacheOptions } from '../cache-options.ts';
import { claimMemoryStore, memoryStore } from '../memory-store.ts';
import { BatchLoader } from './batch-loader.ts';
import { BusLink } from './bus-link.ts';
import { L2Guard } from './l2-guard.ts';
import { Leases } from './leases.ts';
import type { LoadSettings } from './loader.ts';
import { Loader } from './loader.ts';
import { LocalFences } from './local-fences.ts';
import { replayJournal } from './outage/replay.ts';
import { RecordCodec } from './record-codec.ts';
import { TagVersions } from './tag-versions.ts';
import { Telemetry } from './telemetry.ts';
import { Tiers } from './tiers.ts';
import type { TinyLfuStore } from './tiny-lfu-store.ts';

const DEFAULT_MAX_ENTRIES = 10_000;

/** The parts of one cache, wired together. */
export interface Components {
  readonly name: string;
  readonly telemetry: Telemetry;
  readonly l1: TinyLfuStore | undefined;
  readonly guard: L2Guard | undefined;
  readonly link: BusLink;
  readonly tags: TagVersions;
  readonly tiers: Tiers;
  readonly loader: Loader;
  readonly batches: BatchLoader;
  readonly leases: Leases;
  readonly defaults: LoadSettings;
  /** XFetch's β, or 0 when early refresh is off by default. */
  readonly beta: number;
}

/**
 * Builds a cache's parts from its parsed options and connects the bus: what other instances
 * publish drops L1 copies, supersedes loads in flight and refreshes tag versions; a
 * (re)connection flushes L1.
 */
export function createComponents(parsed: ParsedCacheOptions): Components {
  const { namespace, clock } = parsed;
  const name = parsed.name ?? namespace;
  const telemetry = new Telemetry(name, namespace);
  const now = (): number => clock.now();

  const l1Store =
    parsed.l1 === false
      ? undefined
      : (parsed.l1 ?? memoryStore({ maxEntries: DEFAULT_MAX_ENTRIES }));
  const l1 = l1Store === undefined ? undefined : claimMemoryStore(l1Store, 'createCache');
  if (l1 !== undefined) l1.onEvict = (key, reason) => telemetry.eviction(key, reason);

  const store = parsed.l2;
  const guard =
    store === undefined
      ? undefined
      : new L2Guard({
          store,
          ...parsed.storeGuard,
          clock,
          telemetry,
        });
  const l2 = store === undefined || guard === undefined ? undefined : { store, guard };

  const fences = new LocalFences();
  // The bus handlers need the loader and tags, made below; messages arrive only later.
  let loader: Loader | undefined;
  let tags: TagVersions | undefined;
  const link = new BusLink({
    bus: parsed.bus,
    namespace,
    busDownTtlMs: parsed.busDownTtlMs,
    timeoutMs: parsed.storeGuard.timeoutMs,
    retryMs: parsed.storeGuard.coolDownMs,
    clock,
    telemetry,
    handlers: {
      keys: (keys) => {
        fences.invalidate(keys);
        for (const key of keys) l1?.delete(key);
        loader?.supersede(keys);
      },
      tags: (versions) => {
        tags?.delivered(versions);
        fences.invalidate('all');
        loader?.supersedeTags(Object.keys(versions));
      },
      clear: () => {
        fences.invalidate('all');
        l1?.clear();
        store?.onRemoteClear?.(namespace);
        loader?.supersede('all');
      },
      connected: () => {
        // Whatever was published while the subscription was down may have been missed.
        fences.invalidate('all');
        l1?.clear();
        tags?.reset();
        store?.onRemoteClear?.(namespace);
      },
    },
  });
  tags = new TagVersions({
    l2:
      l2 !== undefined && store?.tagVersions !== undefined && store.invalidateTags !== undefined
        ? l2
        : undefined,
    namespace,
    link,
    busDownTtlMs: parsed.busDownTtlMs,
    clock,
  });
  if (store !== undefined && guard !== undefined) {
    const target = { store, namespace, link, tags, telemetry };
    guard.replayWith((snapshot, signal) => replayJournal(snapshot, target, signal));
  }
  const codec = new RecordCodec({
    serializer: parsed.serializer,
    jitter: parsed.jitter,
    defaultTtlMs: parsed.ttlMs,
    encodes: l2 !== undefined,
  });
  const tiers = new Tiers({ l1, l2, namespace, codec, telemetry, link, tags, fences, clock });
  const lock = parsed.distributedLock;
  const leases = new Leases({
    l2,
    namespace,
    link,
    telemetry,
    leaseMs: typeof lock === 'object' ? lock.leaseMs : 5000,
    pollMs: typeof lock === 'object' ? lock.pollMs : 50,
  });
  loader = new Loader({ tiers, telemetry, tags, leases, now });
  const batches = new BatchLoader({ tiers, loader, tags, telemetry, now });
  const early = parsed.earlyRefresh;
  const defaults: LoadSettings = {
    ttlMs: parsed.ttlMs,
    graceMs: parsed.graceMs,
    softTimeoutMs: parsed.softTimeoutMs,
    hardTimeoutMs: parsed.hardTimeoutMs,
    graceBackoffMs: parsed.graceBackoffMs,
    tags: [],
    distributedLock: lock !== false,
    earlyRefresh: early !== false,
  };
  return {
    name,
    telemetry,
    l1,
    guard,
    link,
    tags,
    tiers,
    loader,
    batches,
    leases,
    defaults,
    beta: typeof early === 'object' ? early.beta : 1,
  };
}
