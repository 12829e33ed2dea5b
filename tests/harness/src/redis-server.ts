import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { findFreePort } from './free-port.ts';
import { processState } from './process-state.ts';
import {
  HOST,
  launchRedisProcess,
  type RedisProcess,
  StartError,
  terminate,
} from './redis-process.ts';

/** A real `redis-server` process started for a test, with fault-injection controls. */
export interface RedisServer {
  /** Always `127.0.0.1`: test servers never listen on other interfaces. */
  readonly host: string;
  /** The port it listens on; stays the same across {@link RedisServer.restart}. */
  readonly port: number;
  /** `redis://127.0.0.1:PORT`, ready for `new Redis(url)`. */
  readonly url: string;
  /** SIGKILLs the server (a crash); resolves once the process has exited. */
  kill(): Promise<void>;
  /**
   * Starts the server again on the same port (after {@link RedisServer.kill} or
   * {@link RedisServer.stop}; a running server is stopped first). Resolves when it answers
   * PING; a cluster node resolves when its cluster reports `cluster_state:ok` again.
   * Data is gone: persistence is off.
   */
  restart(): Promise<void>;
  /** SIGSTOPs the server: connections stay open but nothing answers (a hung Redis). */
  freeze(): Promise<void>;
  /** SIGCONTs a frozen server. */
  thaw(): Promise<void>;
  /** Shuts down gracefully (SIGKILL after 5 s), removes its temp dir. Idempotent. */
  stop(): Promise<void>;
  /** Same as {@link RedisServer.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** Options of {@link launchRedisServer}: the public ones plus what a cluster needs. */
export interface LaunchRedisServerOptions {
  /** Fixed port; by default a free one in 20000–40000 (with its cluster-bus port free). */
  readonly port?: number;
  /** Extra `redis-server` arguments, after (and so overriding) the harness defaults. */
  readonly args?: readonly string[];
  /** Working dir owned by the caller and kept on stop; by default a fresh temp dir. */
  readonly dir?: string;
  /** Dir to delete when the server is orphaned; defaults to its working dir. */
  readonly cleanupDir?: string;
  /** Extra readiness check after a restart answered PING (a cluster waits for its state). */
  readonly afterRestart?: () => Promise<void>;
}

const PORT_ATTEMPTS = 5;

/** Resolves when `check()` holds, polling every 10 ms; rejects after `timeoutMs`. */
async function waitUntil(check: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting ${what}`);
    await sleep(10);
  }
}

/**
 * Starts a `redis-server` with the options a cluster node needs (see
 * {@link LaunchRedisServerOptions}); {@link startRedisServer} is the public entry point.
 *
 * @throws {Error} with the server's output when it does not answer PING within 10 s.
 */
export async function launchRedisServer(
  options: LaunchRedisServerOptions = {},
): Promise<RedisServer> {
  const { args = [], cleanupDir, afterRestart } = options;
  const ownsDir = options.dir === undefined;
  let dir = options.dir;

  const startOn = async (port: number): Promise<RedisProcess> => {
    dir ??= await mkdtemp(join(tmpdir(), 'rampart-redis-'));
    return launchRedisProcess({
      port,
      dir,
      args,
      ...(cleanupDir === undefined ? {} : { cleanupDir }),
    });
  };
  const removeDir = async (): Promise<void> => {
    if (!ownsDir || dir === undefined) return;
    const removed = dir;
    dir = undefined;
    await rm(removed, { recursive: true, force: true });
  };

  let port = options.port ?? 0;
  let current: RedisProcess | undefined;
  for (let attempt = 1; current === undefined; attempt += 1) {
    if (options.port === undefined) port = await findFreePort();
    try {
      current = await startOn(port);
    } catch (error) {
      const retry =
        options.port === undefined &&
        attempt < PORT_ATTEMPTS &&
        error instanceof StartError &&
        error.portTaken;
      if (!retry) {
        await removeDir();
        throw error;
      }
    }
  }

  let stopping: Promise<void> | undefined;
  const running = (action: string): RedisProcess => {
    if (current === undefined || current.hasExited()) {
      throw new Error(`Cannot ${action} redis-server on ${HOST}:${port}: it is not running`);
    }
    return current;
  };
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (current !== undefined) await terminate(current, 'SIGTERM');
      current = undefined;
      await removeDir();
    })();
    return stopping;
  };

  return {
    host: HOST,
    port,
    url: `redis://${HOST}:${port}`,
    async kill() {
      if (current !== undefined) await terminate(current, 'SIGKILL');
      current = undefined;
    },
    async restart() {
      if (stopping !== undefined) await stopping;
      else if (current !== undefined) await terminate(current, 'SIGTERM');
      stopping = undefined;
      current = await startOn(port);
      await afterRestart?.();
    },
    async freeze() {
      const redis = running('freeze');
      redis.child.kill('SIGSTOP');
      // Without procfs (macOS) the state is unknown: the signal is sent, assume it landed.
      await waitUntil(() => (processState(redis.pid) ?? 'T') === 'T', 'for SIGSTOP to land');
    },
    async thaw() {
      const redis = running('thaw');
      redis.child.kill('SIGCONT');
      await waitUntil(() => processState(redis.pid) !== 'T', 'for SIGCONT to land');
    },
    stop,
    [Symbol.asyncDispose]: stop,
  };
}

/**
 * Starts a real `redis-server` for a test: bound to 127.0.0.1 on a free port (or `port`),
 * persistence off, its own temp dir, `--loglevel warning`. Resolves once it answers PING.
 * Killed synchronously if the test process exits first; orphans of crashed runs are
 * removed when the harness loads.
 *
 * @throws {Error} with the server's output when it does not answer PING within 10 s.
 * @example
 * ```ts
 * await using redis = await startRedisServer();
 * const client = new Redis(redis.url);
 * ```
 */
export function startRedisServer(
  options: { port?: number; args?: readonly string[] } = {},
): Promise<RedisServer> {
  return launchRedisServer(options);
}
