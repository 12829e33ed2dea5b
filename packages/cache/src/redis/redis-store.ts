import { randomBytes } from 'node:crypto';
import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { L2Read, L2Record, L2Store, L2Write } from '../l2-store.ts';
import { fencedWriteScript } from './cache-scripts.ts';
import { checkClientSettings } from './client-settings.ts';
import { groupKeys } from './cluster-slot.ts';
import { waitingForConnection } from './connection-wait.ts';
import { DispatchOrder } from './dispatch-order.ts';
import { Generations } from './generations.ts';
import { runScript } from './lua-script.ts';
import { isRedisClient, type RedisClient } from './redis-client.ts';
import { RedisClock } from './redis-clock.ts';
import { decodeFence, encodeFence, parseStored } from './stored-value.ts';
import { leaseOperations, tagOperations } from './tag-and-lease-operations.ts';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis client: `new Redis(…)` (single node or Sentinel) or `new Cluster(…)`. The
   * store never closes it. A client that would queue commands forever while Redis is down
   * is rejected; see {@link recommendedRedisOptions}.
   */
  readonly client: RedisClient;
  /**
   * Prefix of every key the store writes, before the cache's namespace.
   * @default `'rampart:cache:'`
   */
  readonly prefix?: string;
  /**
   * How often each process re-reads a namespace's generation, in milliseconds: without a bus,
   * a `clear()` in one process reaches the others' L2 reads within this bound (with a bus, at
   * once).
   * @default `1000` — one small `GET` per namespace per second per process
   */
  readonly generationRefreshMs?: number;
  /**
   * How long a delete is remembered (a small tombstone in place of the value), in
   * milliseconds: a load that started before the delete and ends within this time never
   * writes its older value; a load of a key that held nothing and that runs longer than this
   * does not write to Redis at all (its callers still get the value).
   * @default `60000` — far beyond any reasonable load, and a deleted key costs a few bytes for a minute
   */
  readonly tombstoneTtlMs?: number;
}

const positiveInteger = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });

const schema = z.strictObject({
  client: z.custom<RedisClient>(isRedisClient, {
    error: 'must be an ioredis Redis or Cluster client',
  }),
  prefix: z
    .string({ error: 'must be a string without "{" or "}"' })
    .regex(/^[^{}]*$/, { error: 'must be a string without "{" or "}"' })
    .default('rampart:cache:'),
  generationRefreshMs: positiveInteger.default(1000),
  tombstoneTtlMs: positiveInteger.default(60_000),
});

/** What a data command needs from Redis before it is sent. */
interface Context {
  readonly generation: string;
  /** Redis's time (estimated). */
  readonly now: number;
}

/** Most keys per multi-key command. */
const CHUNK = 500;
/** Subtracted from a fence's read time: more than the clock estimate's error and node skew. */
const CLOCK_MARGIN_MS = 1000;
/** How often the estimate of Redis's clock is re-measured (drift is ppm: this is plenty). */
const CLOCK_RESYNC_MS = 30_000;

/** Ids unique across processes and time: a random per-process prefix and a counter. */
const ID_PREFIX = randomBytes(9).toString('base64url');
let idCounter = 0;
const newId = (): string => {
  idCounter = (idCounter + 1) % Number.MAX_SAFE_INTEGER;
  return `${ID_PREFIX}${idCounter.toString(36)}`;
};

/**
 * What a read of one data key found (`value`, `null` when the key is absent): its record
 * with the TTL left at `now` (Redis's clock), and its fence.
 */
function toRead(
  value: string | null | undefined,
  generation: string,
  readAt: number,
  now: number,
): L2Read {
  const parsed = value === null || value === undefined ? undefined : parseStored(value);
  const fence = encodeFence({ generation, id: parsed?.id ?? '', readAt });
  if (value === null || value === undefined || parsed?.kind === 'tombstone') {
    return { record: undefined, fence };
  }
  // A value the store did not write: reported as is, so the cache can tell.
  if (parsed === undefined) return { record: { data: value, ttlMs: undefined }, fence };
  const ttlMs = parsed.expiresAt - now;
  return { record: ttlMs > 0 ? { data: parsed.data, ttlMs } : undefined, fence };
}

/**
 * Creates the Redis L2 tier for `createCache`, on ioredis: a single node, Sentinel or a
 * Cluster. Each entry is one key, `<prefix><namespace>:<generation>:{<key>}`, read with a
 * plain `GET` (or one `MGET` per slot for a batch) and written with a Lua script (one round
 * trip) that stamps the value with Redis's own clock and an id: a load's result is written
 * only if the key still holds what the load read (fencing), so a value loaded before a
 * `delete` or `set` never lands after it. A delete leaves a tombstone for `tombstoneTtlMs`.
 * Tag versions live in `<prefix><namespace>:tag:{<tag>}`, leases in
 * `<prefix><namespace>:<generation>:{<key>}:lease`. The hash tag keeps every key derived
 * from one cache key in one Cluster slot. `clear()` switches the namespace to a new
 * generation instead of scanning for keys.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is malformed, or the client would queue
 *   commands forever while Redis is down (`enableOfflineQueue: true` with
 *   `maxRetriesPerRequest: null`). A Cluster client with its offline queue on gets a
 *   process warning.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createCache } from '@rampart/cache';
 * import { recommendedRedisOptions, redisStore } from '@rampart/cache/redis';
 * import { closeRedis } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', recommendedRedisOptions);
 * const cache = createCache({ namespace: 'catalog', ttlMs: 30_000, l2: redisStore({ client }) });
 * // …
 * await cache.close();
 * await closeRedis(client); // QUIT, or a disconnect when Redis is down or hung
 * ```
 */
export function redisStore(options: RedisStoreOptions): L2Store {
  const { client, prefix, generationRefreshMs, tombstoneTtlMs } = parseOptions(
    schema,
    options,
    'redisStore',
  );
  checkClientSettings(client, 'redisStore');
  if (client.status === 'wait') {
    // A lazyConnect client: connect now so the first cache call does not pay for it.
    client.connect().catch(() => {
      // Connection errors surface as failed L2 calls; ioredis keeps retrying.
    });
  }
  const cluster = client.isCluster;
  const generations = new Generations(client, prefix, generationRefreshMs);
  const clock = new RedisClock(client, CLOCK_RESYNC_MS);
  const order = new DispatchOrder();
  /** The namespace's generation: synchronous once known. */
  const generationOf = (namespace: string): string | Promise<string> =>
    generations.current(namespace);
  /** The generation and Redis's time a read or write needs: synchronous once both are known. */
  const contextOf = (namespace: string): Context | Promise<Context> => {
    const generation = generationOf(namespace);
    const now = clock.now();
    if (typeof generation === 'string' && typeof now === 'number') return { generation, now };
    return Promise.all([generation, now]).then(([known, time]) => ({
      generation: known,
      now: time,
    }));
  };
  const dataKey = (namespace: string, generation: string, key: string): string =>
    `${prefix}${namespace}:${generation}:{${key}}`;
  const leaseKey = async (namespace: string, key: string): Promise<string> => {
    const known = generationOf(namespace);
    const generation = typeof known === 'string' ? known : await known;
    return `${dataKey(namespace, generation, key)}:lease`;
  };
  const tagKey = (namespace: string, tag: string): string => `${prefix}${namespace}:tag:{${tag}}`;

  /** Runs `run` once per group of keys that can share a command, in parallel. */
  const perGroup = async <T>(
    keys: readonly string[],
    run: (groupKeys: string[], indexes: number[]) => Promise<T[]>,
  ): Promise<T[]> => {
    // The common case, one group: no regrouping, no extra promises.
    if (!cluster && keys.length <= CHUNK) {
      return run(
        keys as string[],
        keys.map((_, index) => index),
      );
    }
    const results: T[] = new Array(keys.length);
    await Promise.all(
      groupKeys(keys, cluster, CHUNK).map(async (indexes) => {
        const values = await run(
          indexes.map((index) => keys[index] ?? ''),
          indexes,
        );
        for (const [position, index] of indexes.entries()) {
          results[index] = values[position] as T;
        }
      }),
    );
    return results;
  };

  const readMany = (
    namespace: string,
    keys: readonly string[],
    signal?: AbortSignal,
  ): Promise<L2Read[]> =>
    order.run(
      () => contextOf(namespace),
      (context) => readWith(context, namespace, keys),
      signal,
    );

  const readWith = async (
    { generation, now: before }: Context,
    namespace: string,
    keys: readonly string[],
  ): Promise<L2Read[]> => {
    // Fences carry a read time no later than the read itself, by a margin for the error of
    // the clock estimate and the skew between Cluster nodes.
    const readAt = before - CLOCK_MARGIN_MS;
    if (keys.length === 1) {
      // The common case, one key: one GET, no intermediate arrays.
      const value = await client.get(dataKey(namespace, generation, keys[0] ?? ''));
      const after = clock.now();
      return [toRead(value, generation, readAt, typeof after === 'number' ? after : await after)];
    }
    const redisKeys = keys.map((key) => dataKey(namespace, generation, key));
    const stored = await perGroup(redisKeys, async (group) =>
      group.length === 1 ? [await client.get(group[0] ?? '')] : client.mget(...group),
    );
    const after = clock.now();
    const now = typeof after === 'number' ? after : await after;
    return stored.map((value) => toRead(value, generation, readAt, now));
  };

  /**
   * Writes records. A write without a fence (a `set`) is a plain `SET` with a new id, which
   * fences every older load; a load's result goes through the fenced-write script, one call
   * per group of keys that can share it.
   */
  const writeMany = (
    namespace: string,
    writes: readonly L2Write[],
    signal?: AbortSignal,
  ): Promise<boolean[]> =>
    order.run(
      () => contextOf(namespace),
      (context) => writeWith(context, namespace, writes),
      signal,
    );

  const writeWith = async (
    { generation: current, now }: Context,
    namespace: string,
    writes: readonly L2Write[],
  ): Promise<boolean[]> => {
    const results: boolean[] = new Array(writes.length).fill(false);
    const fenced: { redisKey: string; args: (string | number)[]; index: number }[] = [];
    const plain: Promise<void>[] = [];
    for (const [index, write] of writes.entries()) {
      const ttlMs = Math.max(1, Math.ceil(write.ttlMs));
      const fence = write.fence === undefined ? undefined : decodeFence(write.fence);
      if (fence === undefined) {
        const value = `${Math.round(now + ttlMs)}:${newId()}\n${write.data}`;
        const redisKey = dataKey(namespace, current, write.key);
        plain.push(
          client.set(redisKey, value, 'PX', ttlMs).then(() => {
            results[index] = true;
          }),
        );
        continue;
      }
      // A load that started before a clear() writes into its own generation: out of reach.
      const value = `${Math.round(now + ttlMs)}:${fence.id}\n${write.data}`;
      fenced.push({
        redisKey: dataKey(namespace, fence.generation, write.key),
        args: [value, ttlMs, fence.id, fence.readAt],
        index,
      });
    }
    const written = perGroup(
      fenced.map(({ redisKey }) => redisKey),
      async (group, indexes) => {
        if (group.length === 0) return [];
        const args = indexes.flatMap((index) => fenced[index]?.args ?? []);
        const reply = await runScript(client, fencedWriteScript, group, [
          tombstoneTtlMs,
          Math.round(now),
          ...args,
        ]);
        return (Array.isArray(reply) ? reply : []).map((value) => Number(value) === 1);
      },
    );
    const [accepted] = await Promise.all([written, ...plain]);
    for (const [position, { index }] of fenced.entries())
      results[index] = accepted[position] === true;
    return results;
  };

  const store: L2Store = {
    async get(namespace, key, signal): Promise<L2Record | undefined> {
      const [read] = await readMany(namespace, [key], signal);
      return read?.record;
    },

    readMany: (namespace, keys, signal) => readMany(namespace, keys, signal),

    async set(namespace, key, data, ttlMs, signal): Promise<void> {
      await writeMany(namespace, [{ key, data, ttlMs }], signal);
    },

    writeMany: (namespace, writes, signal) => writeMany(namespace, writes, signal),

    async delete(namespace, keys, signal): Promise<void> {
      // Plain SETs of tombstones, never a script: a script unknown to the server (after a
      // restart) is re-sent, which would let a later command on the key overtake it.
      await order.run(
        () => generationOf(namespace),
        (generation) =>
          Promise.all(
            keys.map((key) =>
              client.set(dataKey(namespace, generation, key), `~${newId()}`, 'PX', tombstoneTtlMs),
            ),
          ),
        signal,
      );
    },

    clear(namespace, signal): Promise<void> {
      return order.run(
        () => undefined,
        () => generations.replace(namespace),
        signal,
      );
    },

    async ping(): Promise<void> {
      // A probe that also re-syncs the clock: after an outage Redis may be a new process.
      await clock.sync();
    },

    ...tagOperations({ client, perGroup, newId, tagKey }),
    ...leaseOperations({ client, leaseKey }),

    onRemoteClear(namespace): void {
      generations.forget(namespace);
    },
  };
  return waitingForConnection(client, store);
}
