/**
 * A controllable in-memory {@link L2Store} for unit tests of the cache's own logic
 * (deadlines, cool-down, backfill, fencing, tags, leases): it can be made slow, failing or
 * hung on demand, and mirrors the Redis store's semantics (write ids, tombstones,
 * generations, tag versions, leases). The Redis store itself is tested against real Redis
 * servers, never against this.
 */
import type { L2Read, L2Record, L2Store, L2TagVersion, L2Write } from '../src/l2-store.ts';

interface StoredRecord {
  data: string;
  expiresAt: number;
  /** Write id for fencing ('' for a load's write into an empty key). */
  id?: string;
  /** A delete's tombstone. */
  tombstone?: boolean;
}

export interface MemoryL2 extends L2Store {
  /** Records by `namespace:key` (tombstones included, marked). */
  readonly records: Map<string, StoredRecord>;
  /** Leases by `namespace:key`. */
  readonly leases: Map<string, { token: string; expiresAt: number }>;
  /** Tag versions by `namespace:tag`. */
  readonly tags: Map<string, L2TagVersion>;
  /**
   * Every call, in order: `get ns:key`, `set ns:key`, `read-many ns:a,b`, `write-many ns:a,b`,
   * `delete ns:a,b`, `clear ns`, `ping`, `tags ns:a,b`, `invalidate ns:a`, `lease ns:key`,
   * `renew ns:key`, `release ns:key`.
   */
  readonly calls: string[];
  /** `ok` answers; `fail` rejects with a plain Error; `hang` never settles (until aborted). */
  mode: 'ok' | 'fail' | 'hang';
  /** Extra latency in milliseconds for every call (timer based: use fake timers). */
  latencyMs: number;
  /** Signals received by calls, to check they abort. */
  readonly signals: AbortSignal[];
}

export interface MemoryL2Options {
  readonly now?: () => number;
  readonly withPing?: boolean;
  /** Adds batch reads/writes with fencing, tags and leases (like the Redis store). */
  readonly features?: boolean;
  /** How long a tombstone fences older loads. */
  readonly tombstoneTtlMs?: number;
}

let ids = 0;
const newId = (): string => `w${++ids}`;

export function memoryL2(options: MemoryL2Options = {}): MemoryL2 {
  const now = options.now ?? (() => Date.now());
  const horizon = options.tombstoneTtlMs ?? 60_000;
  const records = new Map<string, StoredRecord>();
  const leases = new Map<string, { token: string; expiresAt: number }>();
  const tags = new Map<string, L2TagVersion>();
  const generations = new Map<string, number>();
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const live = (name: string): StoredRecord | undefined => {
    const record = records.get(name);
    if (record === undefined || record.expiresAt <= now()) return undefined;
    return record;
  };
  const generation = (namespace: string): number => generations.get(namespace) ?? 0;
  const read = (namespace: string, key: string): L2Read => {
    const record = live(`${namespace}:${key}`);
    const fence = `${generation(namespace)}|${record?.id ?? ''}|${now()}`;
    if (record === undefined || record.tombstone === true) return { record: undefined, fence };
    return { record: { data: record.data, ttlMs: record.expiresAt - now() }, fence };
  };
  const write = (namespace: string, { key, data, ttlMs, fence }: L2Write): boolean => {
    const name = `${namespace}:${key}`;
    if (fence === undefined) {
      records.set(name, { data, expiresAt: now() + ttlMs, id: newId() });
      return true;
    }
    const [gen = '', id = '', readAt = '0'] = fence.split('|');
    const current = live(name);
    const allowed =
      id === ''
        ? (current === undefined || (current.id === '' && current.tombstone !== true)) &&
          now() - Number(readAt) < horizon
        : current !== undefined && current.id === id;
    if (!allowed) return false;
    // A load that started before a clear writes into the old generation: unreachable.
    if (Number(gen) === generation(namespace)) {
      records.set(name, { data, expiresAt: now() + ttlMs, id });
    }
    return true;
  };
  const store: MemoryL2 = {
    records,
    leases,
    tags,
    calls,
    signals,
    mode: 'ok',
    latencyMs: 0,
    get: (namespace, key, signal) =>
      act(
        `get ${namespace}:${key}`,
        signal,
        (): L2Record | undefined => read(namespace, key).record,
      ),
    set: (namespace, key, data, ttlMs, signal) =>
      act(`set ${namespace}:${key}`, signal, () => {
        write(namespace, { key, data, ttlMs });
      }),
    delete: (namespace, keys, signal) =>
      act(`delete ${namespace}:${keys.join(',')}`, signal, () => {
        for (const key of keys) {
          records.set(`${namespace}:${key}`, {
            data: '',
            expiresAt: now() + horizon,
            id: newId(),
            tombstone: true,
          });
        }
      }),
    clear: (namespace, signal) =>
      act(`clear ${namespace}`, signal, () => {
        generations.set(namespace, generation(namespace) + 1);
        for (const key of [...records.keys()]) {
          if (key.startsWith(`${namespace}:`)) records.delete(key);
        }
      }),
  };
  if (options.withPing === true) {
    store.ping = (signal) => act('ping', signal, () => undefined);
  }
  if (options.features === true) {
    store.readMany = (namespace, keys, signal) =>
      act(`${keys.length === 1 ? 'get' : 'read-many'} ${namespace}:${keys.join(',')}`, signal, () =>
        keys.map((key) => read(namespace, key)),
      );
    store.writeMany = (namespace, writes, signal) =>
      act(
        `${writes.length === 1 ? 'set' : 'write-many'} ${namespace}:${writes.map(({ key }) => key).join(',')}`,
        signal,
        () => writes.map((one) => write(namespace, one)),
      );
    store.tagVersions = (namespace, names, _keepMs, signal) =>
      act(`tags ${namespace}:${names.join(',')}`, signal, () =>
        names.map((tag) => {
          const name = `${namespace}:${tag}`;
          let version = tags.get(name);
          if (version === undefined) {
            const id = newId();
            version = { hard: id, soft: id };
            tags.set(name, version);
          }
          return version;
        }),
      );
    store.invalidateTags = (namespace, names, mode, signal) =>
      act(`invalidate ${namespace}:${names.join(',')}`, signal, () =>
        names.map((tag) => {
          const name = `${namespace}:${tag}`;
          const id = newId();
          const current = tags.get(name);
          const version =
            mode === 'soft' && current !== undefined
              ? { hard: current.hard, soft: id }
              : { hard: id, soft: id };
          tags.set(name, version);
          return version;
        }),
      );
    store.acquireLease = (namespace, key, token, leaseMs, signal) =>
      act(`lease ${namespace}:${key}`, signal, () => {
        const name = `${namespace}:${key}`;
        const current = leases.get(name);
        if (current !== undefined && current.expiresAt > now()) return false;
        leases.set(name, { token, expiresAt: now() + leaseMs });
        return true;
      });
    store.renewLease = (namespace, key, token, leaseMs, signal) =>
      act(`renew ${namespace}:${key}`, signal, () => {
        const current = leases.get(`${namespace}:${key}`);
        if (current === undefined || current.token !== token || current.expiresAt <= now()) {
          return false;
        }
        current.expiresAt = now() + leaseMs;
        return true;
      });
    store.releaseLease = (namespace, key, token, signal) =>
      act(`release ${namespace}:${key}`, signal, () => {
        const name = `${namespace}:${key}`;
        if (leases.get(name)?.token === token) leases.delete(name);
      });
  }

  function act<T>(call: string, signal: AbortSignal, run: () => T): Promise<T> {
    calls.push(call);
    signals.push(signal);
    const mode = store.mode;
    if (mode === 'hang') return new Promise<T>(() => {});
    const settle = (): T => {
      if (mode === 'fail') throw new Error(`connect ECONNREFUSED (${call})`);
      return run();
    };
    if (store.latencyMs === 0) return Promise.resolve().then(settle);
    return new Promise<T>((resolve, reject) => {
      setTimeout(() => {
        try {
          resolve(settle());
        } catch (error) {
          reject(error);
        }
      }, store.latencyMs);
    });
  }
  return store;
}
