import type { Cluster, Redis } from 'ioredis';

/** An ioredis client, version 5 or 6: a single node (also behind Sentinel) or a Cluster. */
export type RedisClient = Redis | Cluster;

/**
 * The connection states of an ioredis client (the same on a single node, Sentinel and
 * Cluster, in ioredis 5 and 6).
 */
export type RedisStatus =
  | 'wait'
  | 'connecting'
  | 'connect'
  | 'ready'
  | 'reconnecting'
  | 'disconnecting'
  | 'close'
  | 'end';

/** Whether `value` looks like an ioredis `Redis` or `Cluster` client (version 5 or 6). */
export function isRedisClient(value: unknown): value is RedisClient {
  if (typeof value !== 'object' || value === null) return false;
  const client = value as Record<string, unknown>;
  return (
    typeof client.status === 'string' &&
    typeof client.options === 'object' &&
    client.options !== null &&
    ['on', 'off', 'quit', 'disconnect', 'connect'].every(
      (method) => typeof client[method] === 'function',
    )
  );
}

/**
 * Whether a connection attempt is under way that may still succeed: the client is new
 * (`wait`, lazy), connecting, or connected and running its ready check. A client waiting
 * to retry after a failed attempt (`reconnecting`) or closed is not: Redis is not healthy.
 */
export function isConnecting(client: RedisClient): boolean {
  const status = client.status as RedisStatus;
  return status === 'wait' || status === 'connecting' || status === 'connect';
}
