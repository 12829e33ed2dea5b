import type { Logger } from '@rampart/logger';
import {
  closeRedis,
  logRedisErrors,
  recommendedClusterOptions,
  recommendedRedisOptions,
  waitForRedis,
} from '@rampart/redis';
import { Cluster, Redis } from 'ioredis';
import type { ServiceConfig } from './config.ts';

/** What `/readyz` reports about Redis. */
export interface RedisHealth {
  readonly status: 'up' | 'down';
  readonly mode: 'single' | 'cluster';
  /** The PING round trip, when it answered. */
  readonly latencyMs?: number;
}

/** The service's one Redis connection, shared by the cache and the rate limiter. */
export interface RedisConnection {
  readonly client: Redis | Cluster;
  readonly mode: 'single' | 'cluster';
  /**
   * PINGs Redis (every master serving slots, on a Cluster) within
   * `timeoutMs`; concurrent checks share one round. Never rejects.
   */
  check(timeoutMs: number): Promise<RedisHealth>;
  /** Quits gracefully when connected (within 1 s), else disconnects at once; never rejects. */
  close(): Promise<void>;
}

/**
 * Whether every master that serves slots (per `CLUSTER SLOTS`) is connected and answers PING:
 * ioredis drops a dead master from its node list, while the survivors keep listing its slots.
 */
async function clusterAnswers(
  client: Cluster,
  answers: (command: Promise<unknown>) => Promise<boolean>,
): Promise<boolean> {
  let slots: unknown;
  const listed = answers(
    client.cluster('SLOTS').then((reply) => {
      slots = reply;
    }),
  );
  if (!(await listed) || !Array.isArray(slots)) return false;
  const masters = new Set<string>();
  for (const range of slots as unknown[][]) {
    const [host, port] = (range[2] ?? []) as unknown[];
    masters.add(`${String(host)}:${String(port)}`);
  }
  const nodes = new Map(
    client.nodes('master').map((node) => [`${node.options.host}:${node.options.port}`, node]),
  );
  const checks = [...masters].map((address) => {
    const node = nodes.get(address);
    return node === undefined ? Promise.resolve(false) : answers(node.ping());
  });
  return checks.length > 0 && (await Promise.all(checks)).every(Boolean);
}

/** Reconnect quickly after an outage, but never more often than every 50 ms nor slower than 1 s. */
const reconnectDelay = (attempt: number): number => Math.min(50 * attempt, 1_000);

/**
 * Opens the Redis connection the configuration names, with the options the Rampart stores
 * recommend: no offline queue (commands fail at once while Redis is down, and the stores'
 * fallbacks answer), one retry per request, no replay of commands the stores gave up on, a
 * 2 s connect timeout, and reconnection within a second. Waits up to 2 s for it to be ready;
 * a Redis that is down at start does not stop the service (the fallbacks serve until it is
 * back, and calls made while it connects wait for it within their deadline). Connection
 * trouble is logged once per outage and once a minute while it lasts, not once per
 * reconnect attempt.
 */
export async function connectRedis(
  config: ServiceConfig,
  logger: Logger,
): Promise<RedisConnection | undefined> {
  let client: Redis | Cluster;
  let mode: 'single' | 'cluster';
  if (config.redisClusterNodes !== undefined) {
    mode = 'cluster';
    client = new Cluster([...config.redisClusterNodes], {
      ...recommendedClusterOptions,
      redisOptions: { ...recommendedClusterOptions.redisOptions, connectionName: config.name },
      clusterRetryStrategy: reconnectDelay,
    });
  } else if (config.redisUrl !== undefined) {
    mode = 'single';
    client = new Redis(config.redisUrl, {
      ...recommendedRedisOptions,
      connectionName: config.name,
      retryStrategy: reconnectDelay,
    });
  } else {
    return undefined;
  }
  const log = logger.child({ component: 'redis', mode });
  // The first error of an outage, a summary a minute while it lasts, one line when it ends.
  const errors = logRedisErrors(client, { log, intervalMs: 60_000 });
  try {
    await waitForRedis(client, { timeoutMs: 2_000 });
    log.info('Redis connection ready');
  } catch {
    log.warn('Redis is not reachable yet: serving from the fallbacks until it is');
  }

  let pending: Promise<RedisHealth> | undefined;
  const ping = async (timeoutMs: number): Promise<RedisHealth> => {
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, timeoutMs, false);
      timer.unref();
    });
    const answers = (command: Promise<unknown>): Promise<boolean> =>
      Promise.race([command.then(() => true), timeout]).catch(() => false);
    try {
      let up: boolean;
      if (client instanceof Cluster) {
        up = await clusterAnswers(client, answers);
      } else {
        up = await answers(client.ping());
      }
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      return up ? { status: 'up', mode, latencyMs } : { status: 'down', mode };
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    client,
    mode,
    check(timeoutMs) {
      pending ??= ping(timeoutMs).finally(() => {
        pending = undefined;
      });
      return pending;
    },
    async close() {
      await errors.close();
      client.on('error', () => {}); // errors while closing are expected and not interesting
      await closeRedis(client, { timeoutMs: 1_000 });
    },
  };
}
