import type { Cluster, Redis } from 'ioredis';
import type { RateLimitScript } from './lua-script.ts';

/** `numkeys`, then the keys and the arguments, as `EVALSHA` takes them after the SHA. */
export type ScriptArguments = [numberOfKeys: string, ...keysAndArguments: string[]];

/** Runs a script by SHA, loading it when the server answers `NOSCRIPT`; bulk replies come as Buffers. */
export type ScriptRunner = (script: RateLimitScript, args: ScriptArguments) => Promise<unknown>;

/**
 * Calls made in one tick are written to the socket corked, and it is uncorked (one system
 * call for all of them) when {@link FIRST_BATCH} calls wait, then twice as many, and so on:
 * Redis starts on the first calls while the next are written, and a burst of 64 costs four
 * writes instead of 64. (Fixed small batches lose on a busy machine, where each write costs
 * more; one write per tick loses on an idle one, where the client and Redis take turns.)
 */
const FIRST_BATCH = 8;
/** The most calls written at once, whatever the burst. */
const MAX_BATCH = 128;

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** The socket a single-node client writes to now, if it has one that can be corked. */
function corkableSocket(client: Redis): Redis['stream'] | undefined {
  if (client.status !== 'ready') return undefined; // commands wait in the offline queue
  const socket = client.stream as Redis['stream'] | undefined;
  return typeof socket?.cork === 'function' ? socket : undefined;
}

/**
 * One `EVALSHA` per call, each resolving with its own reply as soon as it arrives, with two
 * refinements:
 * - `NOSCRIPT` (first use, a restarted or failed-over server) is answered by `EVAL`, which
 *   runs the script and caches it;
 * - on a single node or Sentinel, calls made in the same tick go out together, a few system
 *   calls for a whole burst (see {@link FIRST_BATCH}), much as ioredis' `enableAutoPipelining`
 *   does; other commands written to the same client in that tick go out with them. A Cluster
 *   client sends each call on its own.
 */
export function createScriptRunner(client: Redis | Cluster): ScriptRunner {
  const single = async (script: RateLimitScript, args: ScriptArguments): Promise<unknown> => {
    try {
      return await client.callBuffer('EVALSHA', script.sha, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return await client.callBuffer('EVAL', script.source, ...args);
    }
  };
  if (client.isCluster) return single;
  const redis = client as Redis;

  let corked: { uncork(): void } | undefined;
  /** Calls written since the socket was corked. */
  let waiting = 0;
  let batchSize = FIRST_BATCH;
  let endOfTickScheduled = false;
  const uncork = (): void => {
    corked?.uncork();
    corked = undefined;
    waiting = 0;
  };
  const endOfTick = (): void => {
    endOfTickScheduled = false;
    batchSize = FIRST_BATCH;
    uncork();
  };

  return (script, args) => {
    if (!endOfTickScheduled) {
      endOfTickScheduled = true;
      process.nextTick(endOfTick);
    }
    if (corked === undefined) {
      const socket = corkableSocket(redis);
      socket?.cork();
      corked = socket;
    }
    // Written (to the corked socket) before this returns: ioredis writes synchronously.
    const answer = single(script, args);
    waiting += 1;
    if (waiting >= batchSize) {
      uncork();
      batchSize = Math.min(batchSize * 2, MAX_BATCH);
    }
    return answer;
  };
}
