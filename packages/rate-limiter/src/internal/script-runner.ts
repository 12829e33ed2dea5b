import type { Cluster, Redis } from 'ioredis';
import type { RateLimitScript } from './lua-script.ts';

/** `numkeys`, then the keys and the arguments, as `EVALSHA` takes them after the SHA. */
export type ScriptArguments = [numberOfKeys: string, ...keysAndArguments: string[]];

/** Runs a script by SHA, loading it when the server answers `NOSCRIPT`; bulk replies come as Buffers. */
export type ScriptRunner = (script: RateLimitScript, args: ScriptArguments) => Promise<unknown>;

interface Queued {
  readonly script: RateLimitScript;
  readonly args: ScriptArguments;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * The most calls written as one pipeline. Small batches keep Redis busy while the client
 * still prepares the next calls (one batch of everything would make them take turns), and
 * still save most of the per-command system calls.
 */
const MAX_BATCH = 8;

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * One `EVALSHA` per call, with two refinements:
 * - `NOSCRIPT` (first use, a restarted or failed-over server) is answered by `EVAL`, which
 *   runs the script and caches it;
 * - on a single node or Sentinel, calls made in the same tick are written together, up to
 *   {@link MAX_BATCH} at a time, as one pipeline (one write for many decisions, each still
 *   its own `EVALSHA`), much as ioredis' `enableAutoPipelining` does. A Cluster client sends
 *   each call on its own.
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

  let queue: Queued[] = [];
  const flush = (): void => {
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    if (batch.length === 1) {
      const [only] = batch as [Queued];
      single(only.script, only.args).then(only.resolve, only.reject);
      return;
    }
    const pipeline = client.pipeline();
    for (const { script, args } of batch) pipeline.callBuffer('EVALSHA', script.sha, ...args);
    pipeline.exec().then(
      (results) => {
        batch.forEach((item, index) => {
          const [error, value] = results?.[index] ?? [new Error('no reply in the pipeline'), null];
          if (error === null) item.resolve(value);
          else if (isNoScript(error))
            single(item.script, item.args).then(item.resolve, item.reject);
          else item.reject(error);
        });
      },
      (error: unknown) => {
        for (const item of batch) item.reject(error);
      },
    );
  };
  return (script, args) =>
    new Promise((resolve, reject) => {
      const queued = queue.push({ script, args, resolve, reject });
      if (queued === 1) process.nextTick(flush);
      else if (queued === MAX_BATCH) flush();
    });
}
