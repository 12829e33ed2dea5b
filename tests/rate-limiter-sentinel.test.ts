/**
 * @rampart/rate-limiter through Redis Sentinel: a client that finds its master through a
 * real `redis-server --sentinel` gets the same decisions as one that connects directly.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from '../packages/rate-limiter/src/index.ts';
import { redisStore } from '../packages/rate-limiter/src/redis.ts';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'rate limiter through Redis Sentinel ($name)',
  ({ Redis }) => {
    let master: RedisServer;
    let sentinel: ChildProcess;
    let directory: string;
    let client: Redis;

    beforeAll(async () => {
      master = await startRedisServer();
      directory = await mkdtemp(join(tmpdir(), 'rampart-sentinel-'));
      const port = await freePort();
      const config = join(directory, 'sentinel.conf');
      await writeFile(
        config,
        [
          `port ${port}`,
          'bind 127.0.0.1',
          `dir ${directory}`,
          `sentinel monitor primary 127.0.0.1 ${master.port} 1`,
          'sentinel down-after-milliseconds primary 5000',
          '',
        ].join('\n'),
      );
      sentinel = spawn('redis-server', [config, '--sentinel'], { stdio: 'ignore' });
      client = new Redis({ sentinels: [{ host: '127.0.0.1', port }], name: 'primary' });
      client.on('error', () => {}); // the sentinel may still be starting
      await new Promise((resolve) => client.once('ready', resolve));
    });
    afterAll(async () => {
      client.disconnect();
      sentinel.kill('SIGKILL');
      await master.stop();
      await rm(directory, { recursive: true, force: true });
    });

    it('decides through the master the sentinel names, one script call per decision', async () => {
      const limiter = createRateLimiter({
        limits: [
          { name: 'minute', limit: 3, windowMs: 60_000 },
          { name: 'hour', limit: 100, windowMs: 3_600_000 },
        ],
        store: redisStore({ client }),
        storeTimeoutMs: 5_000,
        blockCache: false,
      });
      const direct = new Redis(master.url);
      await limiter.consume('warm-up'); // loads the script
      await direct.config('RESETSTAT');
      const decisions = [];
      for (let call = 0; call < 5; call++) decisions.push(await limiter.consume('user'));
      expect(decisions.map((decision) => [decision.allowed, decision.source])).toEqual([
        [true, 'store'],
        [true, 'store'],
        [true, 'store'],
        [false, 'store'],
        [false, 'store'],
      ]);
      const stats = await direct.info('commandstats');
      const calls = (name: string) =>
        Number(new RegExp(`cmdstat_${name}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      expect(calls('evalsha')).toBe(5);
      expect(calls('eval')).toBe(0);
      expect(await direct.exists('rampart:rl:{user}:minute+hour')).toBe(1);
      direct.disconnect();
      await limiter.close();
    });
  },
);
