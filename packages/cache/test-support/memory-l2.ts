/**
 * A controllable in-memory {@link L2Store} for unit tests of the cache's own logic
 * (deadlines, cool-down, backfill): it can be made slow, failing or hung on demand. The
 * Redis store itself is tested against real Redis servers, never against this.
 */
import type { L2Record, L2Store } from '../src/l2-store.ts';

export interface MemoryL2 extends L2Store {
  /** Records by `namespace:key`. */
  readonly records: Map<string, { data: string; expiresAt: number }>;
  /** Every call, in order: `get ns:key`, `set ns:key`, `delete ns:a,b`, `clear ns`, `ping`. */
  readonly calls: string[];
  /** `ok` answers; `fail` rejects with a plain Error; `hang` never settles (until aborted). */
  mode: 'ok' | 'fail' | 'hang';
  /** Extra latency in milliseconds for every call (timer based: use fake timers). */
  latencyMs: number;
  /** Signals received by calls, to check they abort. */
  readonly signals: AbortSignal[];
}

export function memoryL2(options: { now?: () => number; withPing?: boolean } = {}): MemoryL2 {
  const now = options.now ?? (() => Date.now());
  const records = new Map<string, { data: string; expiresAt: number }>();
  const calls: string[] = [];
  const signals: AbortSignal[] = [];
  const store: MemoryL2 = {
    records,
    calls,
    signals,
    mode: 'ok',
    latencyMs: 0,
    get: (namespace, key, signal) =>
      act(`get ${namespace}:${key}`, signal, (): L2Record | undefined => {
        const record = records.get(`${namespace}:${key}`);
        if (record === undefined || record.expiresAt <= now()) return undefined;
        return { data: record.data, ttlMs: record.expiresAt - now() };
      }),
    set: (namespace, key, data, ttlMs, signal) =>
      act(`set ${namespace}:${key}`, signal, () => {
        records.set(`${namespace}:${key}`, { data, expiresAt: now() + ttlMs });
      }),
    delete: (namespace, keys, signal) =>
      act(`delete ${namespace}:${keys.join(',')}`, signal, () => {
        for (const key of keys) records.delete(`${namespace}:${key}`);
      }),
    clear: (namespace, signal) =>
      act(`clear ${namespace}`, signal, () => {
        for (const key of [...records.keys()]) {
          if (key.startsWith(`${namespace}:`)) records.delete(key);
        }
      }),
  };
  if (options.withPing === true) {
    store.ping = (signal) => act('ping', signal, () => undefined);
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
