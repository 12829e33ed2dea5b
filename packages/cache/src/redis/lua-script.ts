import { createHash } from 'node:crypto';
import type { RedisClient } from './redis-client.ts';

/** A Lua script and its SHA1, run by SHA so its source crosses the network once per node. */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

/** Prepares a script for {@link runScript}. */
export function defineScript(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

/**
 * Runs `script` with `EVALSHA`; when the node does not know it yet (`NOSCRIPT`, e.g. after a
 * restart or on a new Cluster node) it is sent once with `EVAL`, which also loads it.
 */
export async function runScript(
  client: RedisClient,
  script: LuaScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  try {
    return await client.evalsha(script.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(script.source, keys.length, ...keys, ...args);
  }
}

/** The namespace's generation, created with ARGV[1] when missing. */
export const generationScript: LuaScript = defineScript(`
local current = redis.call('GET', KEYS[1])
if current then return current end
redis.call('SET', KEYS[1], ARGV[1])
return ARGV[1]
`);
