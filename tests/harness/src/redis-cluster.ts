import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { launchRedisServer, type RedisServer } from './redis-server.ts';
import { sendCommand } from './resp.ts';
import { runToExit } from './run-to-exit.ts';

/** A real Redis Cluster of N masters (no replicas), every node a {@link RedisServer}. */
export interface RedisCluster {
  /** Seed nodes for `new Redis.Cluster(nodes)`. */
  readonly nodes: readonly { host: string; port: number }[];
  /** The node servers, for fault injection (`servers[1].kill()`, `.restart()`, `.freeze()`). */
  readonly servers: readonly RedisServer[];
  /** Stops every node and removes the cluster's temp dirs. Idempotent. */
  stop(): Promise<void>;
  /** Same as {@link RedisCluster.stop}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const SLOT_COUNT = 16_384;
/** How long a new or healed cluster may take to report `cluster_state:ok` everywhere. */
const CLUSTER_OK_TIMEOUT_MS = 30_000;
const CLUSTER_ARGS: readonly string[] = [
  '--cluster-enabled',
  'yes',
  '--cluster-config-file',
  'nodes.conf',
  '--cluster-node-timeout',
  '2000',
];

function parseInfo(info: unknown): Map<string, string> {
  const fields = new Map<string, string>();
  if (typeof info !== 'string') return fields;
  for (const line of info.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return fields;
}

/** Why `server` is not yet a healthy member of an N-node cluster, or `undefined` when it is. */
async function clusterProblem(server: RedisServer, nodeCount: number): Promise<string | undefined> {
  let info: Map<string, string>;
  try {
    info = parseInfo(
      await sendCommand({ host: server.host, port: server.port, args: ['CLUSTER', 'INFO'] }),
    );
  } catch (error) {
    return `${server.port}: ${(error as Error).message}`;
  }
  const expected: Record<string, string> = {
    cluster_state: 'ok',
    cluster_slots_assigned: String(SLOT_COUNT),
    cluster_slots_ok: String(SLOT_COUNT),
    cluster_known_nodes: String(nodeCount),
  };
  for (const [field, value] of Object.entries(expected)) {
    if (info.get(field) !== value) return `${server.port}: ${field}:${info.get(field)}`;
  }
  return undefined;
}

/** Resolves once every node reports `cluster_state:ok` with all 16384 slots assigned and ok. */
async function waitForClusterOk(servers: readonly RedisServer[]): Promise<void> {
  const deadline = Date.now() + CLUSTER_OK_TIMEOUT_MS;
  for (;;) {
    const problems = await Promise.all(
      servers.map((server) => clusterProblem(server, servers.length)),
    );
    const problem = problems.find((found) => found !== undefined);
    if (problem === undefined) return;
    if (Date.now() > deadline) {
      throw new Error(
        `Redis Cluster not ok after ${CLUSTER_OK_TIMEOUT_MS} ms (${problems.filter(Boolean).join('; ')})`,
      );
    }
    await sleep(50);
  }
}

async function createCluster(servers: readonly RedisServer[]): Promise<void> {
  const result = await runToExit(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...servers.map((server) => `${server.host}:${server.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ],
    { timeoutMs: 30_000 },
  );
  if (result.code !== 0 || result.timedOut) {
    throw new Error(
      `redis-cli --cluster create failed (code ${result.code}, timed out: ${result.timedOut}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}

/**
 * Starts a Redis Cluster of `masters` masters and no replicas on free ports, each node in
 * its own dir (a restarted node rejoins from its `nodes.conf`). Resolves once every node
 * reports `cluster_state:ok` with all 16384 slots assigned.
 *
 * @param options - `masters` defaults to 3, the smallest cluster `redis-cli --cluster create` accepts.
 * @throws {Error} when `masters` is below 3, or a node or the cluster fails to come up.
 * @example
 * ```ts
 * await using cluster = await startRedisCluster();
 * const client = new Redis.Cluster([...cluster.nodes]);
 * ```
 */
export async function startRedisCluster(options: { masters?: number } = {}): Promise<RedisCluster> {
  const { masters = 3 } = options;
  if (!Number.isInteger(masters) || masters < 3) {
    throw new Error(`startRedisCluster: masters must be an integer >= 3 (got ${masters})`);
  }
  const root = await mkdtemp(join(tmpdir(), 'rampart-redis-cluster-'));
  const servers: RedisServer[] = [];
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await Promise.all(servers.map((server) => server.stop()));
      await rm(root, { recursive: true, force: true });
    })();
    return stopping;
  };

  try {
    const started = await Promise.allSettled(
      Array.from({ length: masters }, async (_, index) => {
        const dir = join(root, `node-${index}`);
        await mkdir(dir);
        return launchRedisServer({
          dir,
          cleanupDir: root,
          args: CLUSTER_ARGS,
          afterRestart: () => waitForClusterOk(servers),
        });
      }),
    );
    for (const result of started) if (result.status === 'fulfilled') servers.push(result.value);
    const failure = started.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    await createCluster(servers);
    await waitForClusterOk(servers);
  } catch (error) {
    await stop();
    throw error;
  }

  return {
    nodes: servers.map(({ host, port }) => ({ host, port })),
    servers,
    stop,
    [Symbol.asyncDispose]: stop,
  };
}
