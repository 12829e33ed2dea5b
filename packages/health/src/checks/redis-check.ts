import { ConfigurationError } from '@rampart/errors';
import type { HealthCheck, HealthCheckOutcome } from '../health-check.ts';
import { requireMethod } from './degraded-status.ts';

/** A node of a cluster client, as {@link redisCheck} uses it. */
export interface ClusterNodeLike {
  ping(): Promise<unknown>;
  /** Where the node listens (ioredis: `options.host`, `options.port`). */
  readonly options?: { readonly host?: string | undefined; readonly port?: number | undefined };
  /** `CLUSTER INFO`, when the node offers it (ioredis does). */
  cluster?(subcommand: 'INFO'): Promise<unknown>;
}

/**
 * The part of a Redis client the check uses: an ioredis `Redis` or `Cluster` fits, as does
 * any client with `ping()`.
 */
export interface PingableRedis {
  /** Sends PING. */
  ping(): Promise<unknown>;
  /** The connection state (`ready`, `reconnecting`, `end`, …), when the client has one. */
  readonly status?: string;
  /** A cluster's nodes by role (ioredis `Cluster`): every master is pinged. */
  nodes?(role: 'master'): readonly ClusterNodeLike[];
  /** A cluster's slot table (ioredis `Cluster.slots`): each slot's nodes as `host:port`, master first. */
  readonly slots?: readonly (readonly string[] | undefined)[];
}

/** Options of {@link redisCheck}. */
export interface RedisCheckOptions {
  /**
   * Latency in milliseconds above which the check reports `warn`.
   *
   * @defaultValue none: only an error or the check's deadline makes it unhealthy.
   */
  readonly warnAboveMs?: number;
}

const DOWN_STATES = new Set(['end', 'close', 'reconnecting']);

/**
 * Creates a check that PINGs Redis and reports the round trip's latency in milliseconds.
 *
 * @remarks
 * The check's deadline (the registry's or the check's `timeoutMs`) bounds the PING: a
 * stopped or frozen Redis fails the check within it. A client that is reconnecting or closed
 * fails at once without queueing a PING. On a Redis Cluster every master is pinged (a cluster
 * with one master down cannot serve its slots) and the slowest answer is the latency. Never
 * sends the client's error messages anywhere.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `client` has
 * no `ping()` or `warnAboveMs` is not a non-negative number.
 *
 * @example
 * ```ts
 * import { createHealth, redisCheck } from '@rampart/health';
 * import { Redis } from 'ioredis';
 *
 * const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
 * const health = createHealth();
 * health.add('redis', redisCheck(redis, { warnAboveMs: 50 }), { timeoutMs: 250 });
 * ```
 */
export function redisCheck(client: PingableRedis, options: RedisCheckOptions = {}): HealthCheck {
  requireMethod('redisCheck', 'client', client, 'ping');
  const { warnAboveMs } = options ?? {};
  if (warnAboveMs !== undefined && !(Number.isFinite(warnAboveMs) && warnAboveMs >= 0)) {
    throw new ConfigurationError(
      `redisCheck: \`warnAboveMs\` must be a non-negative number (got ${String(warnAboveMs)})`,
    );
  }
  return async ({ signal }): Promise<HealthCheckOutcome> => {
    const state = client.status;
    if (state !== undefined && DOWN_STATES.has(state)) {
      return { status: 'fail', output: `connection is ${state}` };
    }
    const targets = typeof client.nodes === 'function' ? client.nodes('master') : [client];
    if (targets.length === 0) return { status: 'fail', output: 'no master connected' };
    const orphaned = unservedSlotOwner(client, targets);
    if (orphaned !== undefined) {
      return { status: 'fail', output: `no connection to the master of some slots (${orphaned})` };
    }
    const started = performance.now();
    await new Promise<unknown>((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      Promise.all(targets.map((target) => target.ping()))
        .then(resolve, reject)
        .finally(() => signal.removeEventListener('abort', onAbort));
    });
    // A master can be gone from the client's pool while the cluster still misses it: ask the
    // cluster itself whether every slot is served.
    const [first] = targets;
    const info =
      typeof client.nodes === 'function' && first !== undefined && 'cluster' in first
        ? await (first as ClusterNodeLike).cluster?.('INFO')
        : undefined;
    if (typeof info === 'string' && /cluster_state:fail/.test(info)) {
      return { status: 'fail', output: 'cluster_state:fail (a slot has no master)' };
    }
    const latencyMs = Math.round((performance.now() - started) * 100) / 100;
    const slow = warnAboveMs !== undefined && latencyMs > warnAboveMs;
    return {
      status: slow ? 'warn' : 'pass',
      observedValue: latencyMs,
      observedUnit: 'ms',
      ...(slow ? { output: `PING took ${latencyMs} ms (above ${warnAboveMs} ms)` } : {}),
    };
  };
}

/**
 * The address of a master that the slot table names but the client has no connection to (a
 * killed master the client already dropped, so pinging the connected ones would pass).
 */
function unservedSlotOwner(
  client: PingableRedis,
  connected: readonly (ClusterNodeLike | PingableRedis)[],
): string | undefined {
  if (client.slots === undefined || typeof client.nodes !== 'function') return undefined;
  const addresses = new Set(
    connected.map((node) => {
      const options = (node as ClusterNodeLike).options;
      return `${options?.host ?? ''}:${options?.port ?? ''}`;
    }),
  );
  if (addresses.has(':')) return undefined; // nodes without addresses: nothing to compare
  for (const nodes of client.slots) {
    const owner = nodes?.[0];
    if (owner !== undefined && !addresses.has(owner)) return owner;
  }
  return undefined;
}
