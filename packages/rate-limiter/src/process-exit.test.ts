import { fileURLToPath } from 'node:url';
import { hasRedisServer, runToExit, useRedis } from '@rampart/test-harness';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const packageDirectory = fileURLToPath(new URL('..', import.meta.url));

/** Runs an ES module script in a child Node process from the package directory. */
function runScript(source: string, env: NodeJS.ProcessEnv = process.env) {
  return runToExit(
    process.execPath,
    ['--conditions=@rampart/source', '--input-type=module', '--eval', source],
    { cwd: packageDirectory, env, timeoutMs: 15_000 },
  );
}

describe('the process exits on its own', () => {
  it('after using a memory limiter, closed or not', async () => {
    const result = await runScript(`
      import { createRateLimiter } from './src/index.ts';
      const limiter = createRateLimiter();
      for (let call = 0; call < 100; call++) await limiter.consume('user-' + (call % 7));
      const open = createRateLimiter();
      await open.consume('a');
      await limiter.close();
      console.log('done');
    `);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stdout.trim()).toBe('done');
  });

  it('after close(), while a store call hangs past its deadline', async () => {
    const result = await runScript(`
      import { createRateLimiter } from './src/index.ts';
      // Like a client's open socket: keeps the process alive until the store is closed.
      const connection = setInterval(() => {}, 1_000);
      const hanging = () => new Promise(() => {});
      const store = { timeSource: 'store', consume: hanging, peek: hanging, reward: hanging,
                      reset: hanging, close: async () => clearInterval(connection) };
      const limiter = createRateLimiter({ storeTimeoutMs: 20, store });
      const decision = await limiter.consume('a');
      await limiter.close();
      await store.close();
      console.log(decision.source);
    `);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stdout.trim()).toBe('fallback');
  });
});

describe.runIf(hasRedisServer())('the process exits on its own with Redis', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  beforeAll(async () => {
    redis = await useRedis();
  });
  afterAll(() => redis.release());

  it('after close() and quitting the client it passed in', async () => {
    const result = await runScript(
      `
      import { Redis } from 'ioredis';
      import { createRateLimiter } from './src/index.ts';
      import { redisStore } from './src/redis.ts';
      const client = new Redis(process.env.TEST_REDIS_URL);
      const limiter = createRateLimiter({ store: redisStore({ client }), storeTimeoutMs: 5000 });
      const sources = new Set();
      for (let call = 0; call < 50; call++) sources.add((await limiter.consume('user-' + (call % 5))).source);
      await limiter.close();
      await client.quit();
      console.log([...sources].join(','));
    `,
      { ...process.env, TEST_REDIS_URL: redis.url },
    );
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stdout.trim()).toBe('store');
  });
});
