/**
 * The published tarballs install next to either ioredis major: `pnpm pack` each Redis-backed
 * package (and what it depends on), then `npm install` them into a scratch project beside
 * ioredis 6 and beside ioredis 5. npm must neither fail (ERESOLVE) nor warn about a peer,
 * and the installed packages must load and run against a real Redis with that client.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
/** The packages to pack, dependencies first. */
const packed = ['errors', 'redis', 'cache', 'rate-limiter'] as const;
/** Reused across runs, so a second run installs from the cache. */
const npmCache = join(tmpdir(), 'rampart-packed-install-npm-cache');

function run(command: string, args: readonly string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 240_000 });
  if (result.error !== undefined) throw result.error;
  return { code: result.status, output: `${result.stdout}\n${result.stderr}` };
}

describe('the packed packages install with npm next to ioredis 5 and 6', () => {
  let workspace: string;
  const tarballs: string[] = [];
  let redis: Awaited<ReturnType<typeof useRedis>> | undefined;

  beforeAll(async () => {
    workspace = mkdtempSync(join(tmpdir(), 'rampart-packed-'));
    const packDirectory = join(workspace, 'tarballs');
    mkdirSync(packDirectory);
    for (const name of packed) {
      const directory = join(root, 'packages', name);
      if (!existsSync(join(directory, 'dist', 'index.js'))) {
        const built = run('pnpm', ['run', 'build'], directory);
        expect(built.code, built.output).toBe(0);
      }
      const result = run('pnpm', ['pack', '--pack-destination', packDirectory], directory);
      expect(result.code, result.output).toBe(0);
      const tarball = result.output.split('\n').find((line) => line.trim().endsWith('.tgz'));
      expect(tarball, result.output).toBeDefined();
      tarballs.push((tarball as string).trim());
    }
    if (hasRedisServer()) redis = await useRedis();
  }, 600_000);
  afterAll(async () => {
    await redis?.release();
    if (workspace !== undefined) rmSync(workspace, { recursive: true, force: true });
  });

  it.each(['ioredis@^6.0.0', 'ioredis@^5.8.0'])(
    'beside %s',
    (ioredis) => {
      const project = join(workspace, ioredis.replace(/\W+/g, '-'));
      mkdirSync(project);
      writeFileSync(
        join(project, 'package.json'),
        JSON.stringify({ name: 'scratch', version: '1.0.0', private: true, type: 'module' }),
      );
      const install = run(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--prefer-offline',
          '--cache',
          npmCache,
          ioredis,
          ...tarballs,
        ],
        project,
      );
      expect(install.code, install.output).toBe(0);
      expect(install.output).not.toMatch(/ERESOLVE|peer dep|Conflicting peer|invalid/i);

      const listed = run('npm', ['ls', '--all', '--cache', npmCache], project);
      expect(listed.code, listed.output).toBe(0);
      expect(listed.output).not.toMatch(/UNMET|invalid|missing/i);
      const installed = JSON.parse(
        readFileSync(join(project, 'node_modules', 'ioredis', 'package.json'), 'utf8'),
      ) as { version: string };
      expect(installed.version.split('.')[0]).toBe(ioredis.includes('^6') ? '6' : '5');

      // The installed packages load from their dist and decide through this client, and code
      // using them type-checks against this ioredis under strict settings (libraries' own
      // declarations are skipped: ioredis 6's reference an untyped module).
      writeFileSync(
        join(project, 'smoke.ts'),
        [
          "import { Redis } from 'ioredis';",
          "import { closeRedis, recommendedRedisOptions } from '@rampart/redis';",
          "import { createRateLimiter } from '@rampart/rate-limiter';",
          "import { redisStore } from '@rampart/rate-limiter/redis';",
          "import { createCache } from '@rampart/cache';",
          "import { redisStore as cacheStore } from '@rampart/cache/redis';",
          "const client = new Redis(process.env.SMOKE_REDIS_URL ?? 'redis://127.0.0.1:1', recommendedRedisOptions);",
          "const limiter = createRateLimiter({ prefix: 'packed:' + process.pid + ':', limits: [{ name: 'm', limit: 2, windowMs: 60_000 }], store: redisStore({ client }), storeTimeoutMs: 10_000 });",
          "const cache = createCache({ namespace: 'packed-' + process.pid, ttlMs: 60_000, l2: cacheStore({ client }), l2TimeoutMs: 10_000 });",
          "const decision = await limiter.consume('user');",
          "await cache.set('key', 'value');",
          'console.log(JSON.stringify({ source: decision.source, l2: cache.stats().l2.errors }));',
          'await limiter.close();',
          'await cache.close();',
          'await closeRedis(client);',
        ].join('\n'),
      );
      const typecheck = run(
        process.execPath,
        [
          join(root, 'node_modules', 'typescript', 'bin', 'tsc'),
          ...['--noEmit', '--strict', '--exactOptionalPropertyTypes', '--skipLibCheck'],
          ...['--module', 'nodenext', '--target', 'es2023'],
          ...['--typeRoots', join(root, 'node_modules', '@types'), '--types', 'node'],
          'smoke.ts',
        ],
        project,
      );
      expect(typecheck.code, typecheck.output).toBe(0);

      if (redis === undefined) return;
      const smoke = spawnSync(process.execPath, ['smoke.ts'], {
        cwd: project,
        encoding: 'utf8',
        timeout: 30_000,
        env: { ...process.env, SMOKE_REDIS_URL: redis.url },
      });
      expect(smoke.status, smoke.stderr).toBe(0);
      expect(JSON.parse(smoke.stdout)).toEqual({ source: 'store', l2: 0 });
    },
    300_000,
  );
});
