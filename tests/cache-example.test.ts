/**
 * The cache example runs to completion on its own and shows what it promises: one database
 * call for 500 concurrent requests, grace, a soft timeout, and a cache that keeps working
 * while Redis is down (no REDIS_URL: it points at a port where nothing listens).
 */
import { describe, expect, it } from 'vitest';
import { runExample } from './run-example.ts';

describe('examples/cache', () => {
  it('runs, shows stampede protection, grace and a soft timeout with Redis down, and exits', async () => {
    const { REDIS_URL: _ignored, ...env } = process.env;
    const result = await runExample('cache', { env, timeoutMs: 15_000 });
    expect(result.stderr).toBe('');
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stdout).toContain('500 answers, 1 distinct, 1 database call');
    expect(result.stdout).toContain('(grace), no error');
    expect(result.stdout).toMatch(/stale "product:1" served \(soft-timeout/);
    expect(result.stdout).toContain('refreshed in the background');
    expect(result.stdout).toMatch(/L2: 0 hits, \d+ errors \(E_UNAVAILABLE/);
    expect(result.stdout).toContain('Closed.');
  });
});
