/**
 * The start-up and shutdown code of docs/redis.md, run as written: against a stopped Redis,
 * a hung one (SIGSTOP) and a healthy one, the process must exit with code 0 soon after
 * SIGTERM, whatever state the client is in.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { hasRedisServer, type RedisServer, startRedisServer } from '@rampart/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
/**
 * From SIGTERM to exit. The shutdown itself is bounded by `closeRedis`'s 1 s; the rest is
 * room for a loaded machine. A client that kept the process alive would never get there.
 */
const EXIT_BOUND_MS = 10_000;

/** The `ts` fence after `<!-- redis-lifecycle -->` in docs/redis.md. */
function lifecycleSnippet(): string {
  const guide = readFileSync(join(root, 'docs', 'redis.md'), 'utf8');
  const match = /<!-- redis-lifecycle -->\s*```ts\n([\s\S]*?)```/.exec(guide);
  if (match?.[1] === undefined) throw new Error('docs/redis.md: no redis-lifecycle snippet');
  return match[1];
}

interface Run {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly killed: boolean;
}

/** Runs the snippet until it logs whether Redis is ready, then sends SIGTERM. */
function runSnippet(file: string, url: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=@rampart/source', file], {
      env: { ...process.env, REDIS_URL: url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let killed = false;
    let killTimer: NodeJS.Timeout | undefined;
    const onOutput = (): void => {
      if (killTimer !== undefined || !/redis: (ready|not ready)/.test(stdout + stderr)) return;
      child.kill('SIGTERM');
      killTimer = setTimeout(() => {
        killed = true;
        child.kill('SIGKILL');
      }, EXIT_BOUND_MS);
    };
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      onOutput();
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      onOutput();
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(killTimer);
      resolve({ code, signal, stdout, stderr, killed });
    });
  });
}

describe.runIf(hasRedisServer())('docs/redis.md start-up and shutdown', { timeout: 60_000 }, () => {
  let directory: string;
  let file: string;
  let server: RedisServer;
  beforeAll(async () => {
    // Inside tests/, so the snippet's imports resolve like a user's would.
    directory = mkdtempSync(join(root, 'tests', '.redis-lifecycle-'));
    file = join(directory, 'lifecycle.ts');
    writeFileSync(file, lifecycleSnippet());
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
    if (directory !== undefined) rmSync(directory, { recursive: true, force: true });
  });

  it('exits with code 0 after SIGTERM while Redis is healthy', async () => {
    const run = await runSnippet(file, server.url);
    expect(run.stdout).toContain('redis: ready');
    expect(run).toMatchObject({ code: 0, signal: null, killed: false });
  });

  it('exits with code 0 after SIGTERM while Redis is stopped, with a few log lines', async () => {
    const stopped = await startRedisServer();
    await stopped.kill();
    try {
      const run = await runSnippet(file, stopped.url);
      expect(run.stderr).toContain('redis: not ready yet');
      expect(run).toMatchObject({ code: 0, signal: null, killed: false });
      // Many reconnect attempts in 5 s, yet one error line (and the start-up warning).
      expect(run.stderr.match(/Redis: connection error/g)).toHaveLength(1);
    } finally {
      await stopped.stop();
    }
  });

  it('exits with code 0 after SIGTERM while Redis hangs (SIGSTOP)', async () => {
    await server.freeze();
    try {
      const run = await runSnippet(file, server.url);
      expect(run.stderr).toContain('redis: not ready yet');
      expect(run).toMatchObject({ code: 0, signal: null, killed: false });
    } finally {
      await server.thaw();
    }
  });
});
