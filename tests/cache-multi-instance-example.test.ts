/**
 * The multi-instance cache example runs to completion on its own, against a Redis of the
 * harness, and shows what it promises: one database query for 400 requests on two
 * instances, a set reaching the other instance, a deleted tag never served (not even from
 * grace), a fenced slow load, and a batch.
 */
import { describe, expect, it } from 'vitest';
import { hasRedisServer, useRedis } from './harness/src/index.ts';
import { runExample } from './run-example.ts';

describe.runIf(hasRedisServer())('examples/cache-multi-instance', () => {
  it('runs two instances against Redis, shows each feature, and exits', async () => {
    const redis = await useRedis();
    try {
      const result = await runExample('cache-multi-instance', {
        env: { ...process.env, REDIS_URL: redis.url },
        timeoutMs: 20_000,
      });
      expect(result.stderr).toBe('');
      expect(result).toMatchObject({ code: 0, timedOut: false });
      expect(result.stdout).toContain('400 answers, 1 database query');
      expect(result.stdout).toMatch(
        /api-2 had 1001, dropped its copy [\d.]+ ms after the set began, and now answers 1999/,
      );
      expect(result.stdout).toContain('api-1, product 2: not served, even from grace');
      expect(result.stdout).toContain('api-1, product 4: not served, even from grace');
      expect(result.stdout).toContain('api-1, product 1 (another tag): Product 1 at 1999');
      expect(result.stdout).toContain(
        'afterwards 0 of the 2 instances hold it (fenced writes on api-1: 1)',
      );
      expect(result.stdout).toContain('50 products, 1 database query; api-1 reads 50 of them');
      expect(result.stdout).toContain('Closed.');
    } finally {
      await redis.release();
    }
  });
});
