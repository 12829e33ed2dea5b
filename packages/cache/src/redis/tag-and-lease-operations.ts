import type { L2Store, L2TagVersion } from '../l2-store.ts';
import {
  invalidateTagsScript,
  releaseLeaseScript,
  renewLeaseScript,
  tagVersionsScript,
} from './cache-scripts.ts';
import { runScript } from './lua-script.ts';
import type { RedisClient } from './redis-client.ts';

/** How long a tag's version lives at least after an invalidation (values may still carry it). */
const TAG_FLOOR_MS = 24 * 3_600_000;

function parseVersion(version: unknown): L2TagVersion {
  const text = typeof version === 'string' ? version : String(version);
  const colon = text.indexOf(':');
  return colon < 0
    ? { hard: text, soft: text }
    : { hard: text.slice(0, colon), soft: text.slice(colon + 1) };
}

/** What the tag operations need from the store. */
export interface TagContext {
  readonly client: RedisClient;
  /** Runs `run` once per group of keys that can share a command (by slot on a Cluster). */
  readonly perGroup: <T>(
    keys: readonly string[],
    run: (group: string[], indexes: number[]) => Promise<T[]>,
  ) => Promise<T[]>;
  readonly newId: () => string;
  readonly tagKey: (namespace: string, tag: string) => string;
}

/**
 * Tag versions in Redis: one key per tag holding `<hard>:<soft>` (two random ids), read and
 * changed by scripts, one call per slot of the tags involved.
 */
export function tagOperations(
  context: TagContext,
): Required<Pick<L2Store, 'tagVersions' | 'invalidateTags'>> {
  const { client, perGroup, newId, tagKey } = context;
  return {
    async tagVersions(namespace, tags, keepMs): Promise<L2TagVersion[]> {
      return perGroup(
        tags.map((tag) => tagKey(namespace, tag)),
        async (group) => {
          const candidates = group.map(() => {
            const id = newId();
            return `${id}:${id}`;
          });
          const reply = await runScript(client, tagVersionsScript, group, [
            Math.max(1, Math.ceil(keepMs)),
            ...candidates,
          ]);
          return (Array.isArray(reply) ? reply : []).map(parseVersion);
        },
      );
    },

    async invalidateTags(namespace, tags, mode): Promise<L2TagVersion[]> {
      return perGroup(
        tags.map((tag) => tagKey(namespace, tag)),
        async (group) => {
          const reply = await runScript(client, invalidateTagsScript, group, [
            mode,
            TAG_FLOOR_MS,
            ...group.map(newId),
          ]);
          return (Array.isArray(reply) ? reply : []).map(parseVersion);
        },
      );
    },
  };
}

/** What the lease operations need from the store. */
export interface LeaseContext {
  readonly client: RedisClient;
  readonly leaseKey: (namespace: string, key: string) => Promise<string>;
}

/**
 * Leases in Redis for the distributed single flight: `SET NX PX` with the holder's token to
 * take one; renewal and release by scripts that act only for that token.
 */
export function leaseOperations(
  context: LeaseContext,
): Required<Pick<L2Store, 'acquireLease' | 'renewLease' | 'releaseLease'>> {
  const { client, leaseKey } = context;
  return {
    async acquireLease(namespace, key, token, leaseMs): Promise<boolean> {
      const reply = await client.set(
        await leaseKey(namespace, key),
        token,
        'PX',
        Math.max(1, Math.ceil(leaseMs)),
        'NX',
      );
      return reply === 'OK';
    },

    async renewLease(namespace, key, token, leaseMs): Promise<boolean> {
      const reply = await runScript(
        client,
        renewLeaseScript,
        [await leaseKey(namespace, key)],
        [token, Math.max(1, Math.ceil(leaseMs))],
      );
      return Number(reply) === 1;
    },

    async releaseLease(namespace, key, token): Promise<void> {
      await runScript(client, releaseLeaseScript, [await leaseKey(namespace, key)], [token]);
    },
  };
}
