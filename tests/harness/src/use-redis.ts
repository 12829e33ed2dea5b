import { startRedisServer } from './redis-server.ts';

/**
 * A Redis for one suite: the one at `REDIS_URL` when set (`release` is then a no-op), or
 * else a fresh `redis-server` that `release` stops.
 *
 * @throws {Error} when no `REDIS_URL` is set and `redis-server` fails to start.
 * @example
 * ```ts
 * let redis: Awaited<ReturnType<typeof useRedis>>;
 * beforeAll(async () => { redis = await useRedis(); });
 * afterAll(() => redis.release());
 * ```
 */
export async function useRedis(): Promise<{ url: string; release(): Promise<void> }> {
  const url = process.env.REDIS_URL;
  if (url) return { url, release: async () => {} };
  const server = await startRedisServer();
  return { url: server.url, release: () => server.stop() };
}
