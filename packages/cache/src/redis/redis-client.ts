import type { Cluster, Redis } from 'ioredis';

/** An ioredis client: a single node (also behind Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

/** Whether `value` looks like an ioredis `Redis` or `Cluster` client. */
export function isRedisClient(value: unknown): value is RedisClient {
  if (typeof value !== 'object' || value === null) return false;
  const client = value as Record<string, unknown>;
  return (
    typeof client.options === 'object' &&
    client.options !== null &&
    ['evalsha', 'eval', 'set', 'unlink', 'ping'].every(
      (method) => typeof client[method] === 'function',
    )
  );
}
