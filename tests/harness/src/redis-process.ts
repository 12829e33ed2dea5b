import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import type { Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { removeRecord, writeRecord } from './orphans.ts';
import { trackProcess, untrackProcess } from './process-exit.ts';
import { sendCommand } from './resp.ts';

/** The only interface test servers listen on. */
export const HOST = '127.0.0.1';

/** How long a `redis-server` may take to answer its first PING. */
export const STARTUP_TIMEOUT_MS = 10_000;

const OUTPUT_LIMIT = 16_384;
const POLL_INTERVAL_MS = 20;

/** One spawned `redis-server` process. */
export interface RedisProcess {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Resolves when the process has exited (never rejects). */
  readonly exited: Promise<void>;
  /** True once the process has exited. */
  hasExited(): boolean;
  /** The last 16 KiB the server wrote to stdout and stderr (Redis logs to stdout). */
  output(): string;
}

/** Where and how to spawn one `redis-server`. */
export interface SpawnOptions {
  readonly port: number;
  readonly dir: string;
  readonly args: readonly string[];
  /** Temp dir to delete when the process is found orphaned or this process exits. */
  readonly cleanupDir?: string;
}

/** A start that failed; `portTaken` says whether another port could succeed. */
export class StartError extends Error {
  override readonly name = 'StartError';
  readonly portTaken: boolean;
  constructor(message: string, portTaken: boolean) {
    super(message);
    this.portTaken = portTaken;
  }
}

function describeOutput(redis: RedisProcess): string {
  const output = redis.output().trim();
  return output === '' ? '(the server printed nothing)' : `redis-server output:\n${output}`;
}

function spawnRedisProcess(options: SpawnOptions): RedisProcess {
  const { port, dir, args, cleanupDir } = options;
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      HOST,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      '--loglevel',
      'warning',
      '--daemonize',
      'no',
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const append = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-OUTPUT_LIMIT);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  let exited = false;
  const pid = child.pid ?? -1;
  const exitedPromise = new Promise<void>((resolve) => {
    const onGone = (): void => {
      if (exited) return;
      exited = true;
      if (pid > 0) {
        untrackProcess(pid);
        removeRecord(pid);
      }
      resolve();
    };
    child.once('exit', onGone);
    child.once('error', (error) => {
      append(Buffer.from(`could not spawn redis-server: ${error.message}\n`));
      onGone();
    });
  });
  if (pid > 0) {
    const dirToRemove = cleanupDir ?? dir;
    writeRecord({ pid, ownerPid: process.pid, port, dir: dirToRemove });
    trackProcess(pid, () => {
      removeRecord(pid);
      rmSync(dirToRemove, { recursive: true, force: true });
    });
  }
  return {
    pid,
    child,
    exited: exitedPromise,
    hasExited: () => exited,
    output: () => output,
  };
}

/** Lets the test process exit while this server runs (the exit hook kills it then). */
function unrefProcess(redis: RedisProcess): void {
  redis.child.unref();
  (redis.child.stdout as Socket | null)?.unref();
  (redis.child.stderr as Socket | null)?.unref();
}

/** Whether the server answering on `port` is the process we spawned, not a racing neighbour. */
async function answeredBy(redis: RedisProcess, port: number): Promise<boolean> {
  const info = await sendCommand({ host: HOST, port, args: ['INFO', 'server'] });
  return typeof info === 'string' && info.includes(`process_id:${redis.pid}\r\n`);
}

async function waitForPong(redis: RedisProcess, port: number): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (redis.hasExited()) {
      const portTaken = /address already in use/i.test(redis.output());
      throw new StartError(
        `redis-server on ${HOST}:${port} exited before answering PING. ${describeOutput(redis)}`,
        portTaken,
      );
    }
    const reply = await sendCommand({ host: HOST, port, args: ['PING'], timeoutMs: 500 }).catch(
      () => undefined,
    );
    if (reply === 'PONG') {
      if (await answeredBy(redis, port)) return;
      throw new StartError(`Another server answered on ${HOST}:${port}`, true);
    }
    await sleep(POLL_INTERVAL_MS);
  }
  throw new StartError(
    `redis-server on ${HOST}:${port} did not answer PING within ${STARTUP_TIMEOUT_MS} ms. ${describeOutput(redis)}`,
    false,
  );
}

/**
 * Sends `signal` and waits for the process to exit; SIGKILLs it when it is still
 * there after `timeoutMs`.
 */
export async function terminate(
  redis: RedisProcess,
  signal: NodeJS.Signals,
  timeoutMs = 5000,
): Promise<void> {
  if (redis.hasExited()) return;
  redis.child.ref(); // keep the event loop alive until the exit is observed
  try {
    redis.child.kill(signal);
    if (signal !== 'SIGKILL') redis.child.kill('SIGCONT'); // a frozen server handles SIGTERM only once it runs
    const deadline = new AbortController();
    const timedOut = await Promise.race([
      redis.exited.then(() => false),
      sleep(timeoutMs, true, { signal: deadline.signal }).catch(() => false),
    ]);
    deadline.abort();
    if (timedOut) {
      redis.child.kill('SIGKILL');
      await redis.exited;
    }
  } catch {
    await redis.exited; // kill() threw because the process is already gone
  }
}

/**
 * Spawns `redis-server` and resolves once it answers PING with `+PONG`.
 *
 * @throws {StartError} with the server's output when it exits early or stays silent for 10 s.
 */
export async function launchRedisProcess(options: SpawnOptions): Promise<RedisProcess> {
  const redis = spawnRedisProcess(options);
  try {
    await waitForPong(redis, options.port);
  } catch (error) {
    await terminate(redis, 'SIGKILL');
    throw error;
  }
  unrefProcess(redis);
  return redis;
}
