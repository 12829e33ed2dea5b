import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasRedisServer, type RedisCluster, runToExit, startRedisCluster } from './index.ts';
import { RespError, sendCommand } from './resp.ts';

async function clusterInfo(port: number): Promise<string> {
  return String(await sendCommand({ host: '127.0.0.1', port, args: ['CLUSTER', 'INFO'] }));
}

/** Runs `redis-cli -c` (follows MOVED redirects) against one node. */
async function cli(port: number, ...args: string[]): Promise<string> {
  const result = await runToExit('redis-cli', ['-c', '-p', String(port), ...args]);
  expect(result).toMatchObject({ code: 0, timedOut: false });
  return result.stdout.trim();
}

/** The node that holds `key` answers EXISTS; the others answer -MOVED. */
async function ownerOf(cluster: RedisCluster, key: string): Promise<number> {
  for (const [index, node] of cluster.nodes.entries()) {
    const reply = await sendCommand({ ...node, args: ['EXISTS', key] }).catch(
      (error: unknown) => error,
    );
    if (!(reply instanceof RespError)) return index;
  }
  throw new Error(`no node owns ${key}`);
}

describe.runIf(hasRedisServer())('startRedisCluster', () => {
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());

  it('starts 3 masters that all report cluster_state:ok with every slot assigned', async () => {
    expect(cluster.nodes).toHaveLength(3);
    expect(cluster.servers).toHaveLength(3);
    expect(cluster.nodes.map((node) => node.port)).toEqual(
      cluster.servers.map((server) => server.port),
    );
    for (const { port } of cluster.nodes) {
      const info = await clusterInfo(port);
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      expect(info).toContain('cluster_size:3');
    }
  });

  it('stores a key written through redis-cli -c, readable from any node', async () => {
    const [first, , last] = cluster.nodes;
    expect(await cli(first?.port ?? 0, 'SET', 'harness:greeting', 'hello')).toBe('OK');
    expect(await cli(last?.port ?? 0, 'GET', 'harness:greeting')).toBe('hello');
  });

  it('returns to cluster_state:ok after a node is killed, seen failing, and restarted', async () => {
    await cli(cluster.nodes[0]?.port ?? 0, 'SET', 'harness:survivor', 'still here');
    const owner = await ownerOf(cluster, 'harness:survivor');
    const victimIndex = (owner + 1) % cluster.servers.length;
    const victim = cluster.servers[victimIndex];
    const witness = cluster.servers[owner];
    if (victim === undefined || witness === undefined) throw new Error('unreachable');

    await victim.kill();
    // cluster-node-timeout is 2 s: the survivors flag the node as failing, then the cluster fails.
    while (!(await clusterInfo(witness.port)).includes('cluster_state:fail')) await sleep(50);

    await victim.restart();
    for (const { port } of cluster.nodes) {
      const info = await clusterInfo(port);
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_ok:16384');
    }
    expect(await cli(victim.port, 'GET', 'harness:survivor')).toBe('still here');
    expect(await cli(victim.port, 'SET', 'harness:after-restart', 'yes')).toBe('OK');
  });
});
