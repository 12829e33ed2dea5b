import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { ConfigurationError, ValidationError } from '@rampart/errors';
import {
  hasRedisServer,
  type RedisServer,
  runToExit,
  startRedisServer,
} from '@rampart/test-harness';
import { ioredisClients } from '@rampart/test-harness/ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeRedis } from './close-redis.ts';

const child = new URL('../test-support/close-child.ts', import.meta.url).pathname;
/**
 * Far above what starting Node and a close take (the close's bound is 500 ms) on a loaded
 * machine, far below the test timeout: a child kept alive by its client never gets there.
 */
const EXIT_BOUND_MS = 15_000;

/** Runs the child to exit; it must exit 0 by itself. */
function runChild(major: number, url: string, when: string) {
  return runToExit(process.execPath, ['--conditions=@rampart/source', child], {
    env: {
      ...process.env,
      CHILD_IOREDIS_MAJOR: String(major),
      CHILD_REDIS_URL: url,
      CHILD_WHEN: when,
    },
    timeoutMs: EXIT_BOUND_MS,
  });
}

/** Runs the child until it is ready, freezes the server, then lets it close. */
async function runChildFrozenAfterReady(major: number, server: RedisServer) {
  const process_ = spawn(process.execPath, ['--conditions=@rampart/source', child], {
    env: {
      ...process.env,
      CHILD_IOREDIS_MAJOR: String(major),
      CHILD_REDIS_URL: server.url,
      CHILD_WHEN: 'after-ready',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  process_.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk;
  });
  process_.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
  });
  const kill = setTimeout(() => process_.kill('SIGKILL'), EXIT_BOUND_MS);
  while (!stdout.includes('ready')) {
    if (process_.exitCode !== null) break;
    await once(process_.stdout, 'data');
  }
  await server.freeze();
  process_.stdin.write('close\n');
  const [code, signal] = (await once(process_, 'exit')) as [number | null, string | null];
  clearTimeout(kill);
  await server.thaw();
  return { code, signal, stdout, stderr };
}

describe('closeRedis validation', () => {
  it('rejects a value that is not a client, naming the argument', () => {
    expect(() => closeRedis({} as never)).toThrow(ValidationError);
    expect(() => closeRedis({} as never)).toThrow(/closeRedis: `client`/);
  });

  it('rejects a bad timeoutMs, naming the option', async () => {
    const { Redis } = ioredisClients[0] as (typeof ioredisClients)[number];
    const client = new Redis({ lazyConnect: true });
    for (const timeoutMs of [0, -1, 1.5, Number.NaN, '10']) {
      expect(() => closeRedis(client, { timeoutMs } as never)).toThrow(/`options.timeoutMs`/);
    }
    expect(ConfigurationError).toBeDefined();
    await closeRedis(client);
    expect(client.status).toBe('end');
  });
});

describe.runIf(hasRedisServer()).each(ioredisClients)(
  'closeRedis on $name',
  { timeout: 30_000 },
  ({ major, Redis }) => {
    let server: RedisServer;
    let stopped: RedisServer;
    beforeAll(async () => {
      server = await startRedisServer();
      stopped = await startRedisServer();
      await stopped.kill();
    });
    afterAll(async () => {
      await server?.stop();
      await stopped?.stop();
    });

    it('quits a ready client: the process exits and the client ends', async () => {
      const result = await runChild(major, server.url, 'at-once-ready');
      expect(result).toMatchObject({ code: 0, timedOut: false, stderr: '' });
      expect(result.stdout).toContain('closed: end');
    });

    it('lets the process exit when closed while connecting to a stopped Redis', async () => {
      const result = await runChild(major, stopped.url, 'at-once');
      expect(result).toMatchObject({ code: 0, timedOut: false, stderr: '' });
    });

    it('lets the process exit when closed while waiting to reconnect to a stopped Redis', async () => {
      const result = await runChild(major, stopped.url, 'after-failure');
      expect(result).toMatchObject({ code: 0, timedOut: false, stderr: '' });
      expect(result.stdout).toContain('closed:');
    });

    it('lets the process exit when closed while connecting to a frozen Redis', async () => {
      await server.freeze();
      try {
        const result = await runChild(major, server.url, 'at-once');
        expect(result).toMatchObject({ code: 0, timedOut: false, stderr: '' });
      } finally {
        await server.thaw();
      }
    });

    it('lets the process exit when Redis hangs after the client was ready (QUIT never answers)', async () => {
      const result = await runChildFrozenAfterReady(major, server);
      expect(result).toMatchObject({ code: 0, signal: null, stderr: '' });
      expect(result.stdout).toContain('closed: end');
    });

    it('fails commands queued while reconnecting and ends the client (ioredis #1247)', async () => {
      const client = new Redis(stopped.url, { retryStrategy: () => 20 });
      client.on('error', () => {});
      await new Promise((resolve) => client.once('reconnecting', resolve));
      const queued = client.get('key');
      const outcome = expect(queued).rejects.toThrow(/closed/i);
      await closeRedis(client);
      await outcome;
      expect(client.status).toBe('end');
    });

    it('ends a client in the same process, whatever its state, without rejecting', async () => {
      const ready = new Redis(server.url, { enableOfflineQueue: false });
      await once(ready, 'ready');
      const connecting = new Redis(stopped.url, {
        enableOfflineQueue: false,
        retryStrategy: () => 20,
      });
      connecting.on('error', () => {});
      await Promise.all([closeRedis(ready), closeRedis(connecting), closeRedis(ready)]);
      expect(ready.status).toBe('end');
      expect(connecting.status).toBe('end');
      // Nothing reconnects later: no new attempt starts after the close.
      let attempts = 0;
      connecting.on('connecting', () => attempts++);
      await new Promise((resolve) => setImmediate(resolve));
      expect(attempts).toBe(0);
    });
  },
);
