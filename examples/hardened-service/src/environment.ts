import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { RedisNode, ServiceOptions } from './config.ts';

const integer = z
  .string()
  .trim()
  .regex(/^\d+$/, { error: 'must be a whole number' })
  .transform(Number);

const fraction = z
  .string()
  .trim()
  .regex(/^(0(\.\d+)?|1(\.0+)?)$/, { error: 'must be a number from 0 to 1' })
  .transform(Number);

const list = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== ''),
);

/** `host:port` or `[ipv6]:port`. */
function parseNode(text: string): RedisNode | undefined {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d{1,5})$/.exec(text);
  if (match === null) return undefined;
  const host = match[1] ?? match[2] ?? '';
  const port = Number(match[3]);
  return host !== '' && port > 0 && port <= 65_535 ? { host, port } : undefined;
}

const nodes = list.pipe(
  z
    .array(z.string())
    .refine((items) => items.length > 0 && items.every((item) => parseNode(item) !== undefined), {
      error: 'must be comma-separated host:port pairs',
    })
    .transform((items) => items.map((item) => parseNode(item) as RedisNode)),
);

/** The environment variables the service reads; all optional. */
const environmentSchema = z.object({
  HOST: z.string().optional(),
  PORT: integer.optional(),
  REDIS_URL: z.string().optional(),
  REDIS_CLUSTER_NODES: nodes.optional(),
  TRUSTED_PROXIES: list.optional(),
  ADMIN_TOKEN: z.string().optional(),
  REQUEST_DEADLINE_MS: integer.optional(),
  MAX_BODY_BYTES: integer.optional(),
  SHUTDOWN_TIMEOUT_MS: integer.optional(),
  CACHE_TTL_MS: integer.optional(),
  CACHE_GRACE_MS: integer.optional(),
  BREAKER_RESET_TIMEOUT_MS: integer.optional(),
  BREAKER_ROLLING_WINDOW_MS: integer.optional(),
  UPSTREAM_LATENCY_MS: integer.optional(),
  UPSTREAM_JITTER_MS: integer.optional(),
  UPSTREAM_ERROR_RATE: fraction.optional(),
  UPSTREAM_OUTAGE: z
    .enum(['none', 'errors', 'timeouts'], { error: 'must be none, errors or timeouts' })
    .optional(),
  PROCESS_METRICS: z
    .enum(['true', 'false'], { error: 'must be true or false' })
    .transform((value) => value === 'true')
    .optional(),
});

/** Drops the keys whose value is `undefined` (options are exact: absent, not undefined). */
function defined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as Partial<T>;
}

/**
 * Reads {@link ServiceOptions} from environment variables: `HOST`, `PORT`, `REDIS_URL`,
 * `REDIS_CLUSTER_NODES` (comma-separated `host:port`), `TRUSTED_PROXIES` (comma-separated
 * addresses), `ADMIN_TOKEN`, `REQUEST_DEADLINE_MS`, `MAX_BODY_BYTES`, `SHUTDOWN_TIMEOUT_MS`,
 * `CACHE_TTL_MS`, `CACHE_GRACE_MS`, `BREAKER_RESET_TIMEOUT_MS`, `BREAKER_ROLLING_WINDOW_MS`,
 * `UPSTREAM_LATENCY_MS`, `UPSTREAM_JITTER_MS`, `UPSTREAM_ERROR_RATE`, `UPSTREAM_OUTAGE` and
 * `PROCESS_METRICS`.
 * Empty variables count as unset. `LOG_LEVEL` is read by the logger itself.
 *
 * @throws {@link ConfigurationError} naming every malformed variable.
 */
export function configFromEnvironment(environment: NodeJS.ProcessEnv): ServiceOptions {
  const present = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value.trim() !== ''),
  );
  const env = parseOptions(environmentSchema, present, 'environment');
  const upstream = defined({
    latencyMs: env.UPSTREAM_LATENCY_MS,
    jitterMs: env.UPSTREAM_JITTER_MS,
    errorRate: env.UPSTREAM_ERROR_RATE,
    outage: env.UPSTREAM_OUTAGE,
  });
  const cache = defined({ ttlMs: env.CACHE_TTL_MS, graceMs: env.CACHE_GRACE_MS });
  const breaker = defined({
    resetTimeoutMs: env.BREAKER_RESET_TIMEOUT_MS,
    rollingWindowMs: env.BREAKER_ROLLING_WINDOW_MS,
  });
  return defined({
    host: env.HOST,
    port: env.PORT,
    redisUrl: env.REDIS_URL,
    redisClusterNodes: env.REDIS_CLUSTER_NODES,
    trustedProxies: env.TRUSTED_PROXIES,
    adminToken: env.ADMIN_TOKEN,
    requestDeadlineMs: env.REQUEST_DEADLINE_MS,
    maxBodyBytes: env.MAX_BODY_BYTES,
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    processMetrics: env.PROCESS_METRICS,
    cache: Object.keys(cache).length > 0 ? cache : undefined,
    breaker: Object.keys(breaker).length > 0 ? breaker : undefined,
    upstream: Object.keys(upstream).length > 0 ? upstream : undefined,
  }) as ServiceOptions;
}
