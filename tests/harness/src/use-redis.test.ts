import { describe, expect, it, vi } from 'vitest';
import { hasRedisServer, useRedis } from './index.ts';
import { sendCommand } from './resp.ts';

function pingUrl(url: string): Promise<unknown> {
  const { hostname, port } = new URL(url);
  return sendCommand({ host: hostname, port: Number(port), args: ['PING'] });
}

describe('hasRedisServer', () => {
  it('is true when REDIS_URL is set, even without redis-server on PATH', () => {
    vi.stubEnv('PATH', '');
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    expect(hasRedisServer()).toBe(true);
  });

  it('throws under CI=true when neither REDIS_URL nor redis-server is available', () => {
    vi.stubEnv('PATH', '');
    vi.stubEnv('REDIS_URL', '');
    vi.stubEnv('CI', 'true');
    expect(() => hasRedisServer()).toThrow(/redis-server is required in CI/);
  });

  it('warns loudly once and returns false outside CI when Redis is unavailable', () => {
    vi.stubEnv('PATH', '');
    vi.stubEnv('REDIS_URL', '');
    vi.stubEnv('CI', '');
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(hasRedisServer()).toBe(false);
    expect(hasRedisServer()).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/Redis suites are SKIPPED/);
  });
});

describe.runIf(hasRedisServer())('useRedis', () => {
  it('returns REDIS_URL as is, with a release that does nothing', async () => {
    vi.stubEnv('REDIS_URL', 'redis://127.0.0.1:1');
    const redis = await useRedis();
    expect(redis.url).toBe('redis://127.0.0.1:1');
    await expect(redis.release()).resolves.toBeUndefined();
  });

  it('starts a server when REDIS_URL is unset, and release stops it', async () => {
    vi.stubEnv('REDIS_URL', '');
    const redis = await useRedis();
    expect(redis.url).toMatch(/^redis:\/\/127\.0\.0\.1:\d+$/);
    await expect(pingUrl(redis.url)).resolves.toBe('PONG');
    await redis.release();
    await expect(pingUrl(redis.url)).rejects.toThrow(/ECONNREFUSED/);
  });
});
