import { isIP } from 'node:net';
import { parseOptions } from '@rampart/errors';
import type { LogDestination, LogLevel } from '@rampart/logger';
import type { LimitDefinition } from '@rampart/rate-limiter';
import * as z from 'zod';

/** How the simulated upstream fails: not at all, with fast errors, or by hanging. */
export type UpstreamOutage = 'none' | 'errors' | 'timeouts';

/** The behaviour of the simulated catalog upstream; changeable while the service runs. */
export interface UpstreamSettings {
  /** Typical latency of one call, in milliseconds. */
  readonly latencyMs: number;
  /** Up to this many milliseconds are added at random to each call. */
  readonly jitterMs: number;
  /** Share of calls (0–1) that fail with a 503 while there is no outage. */
  readonly errorRate: number;
  /** `errors`: every call fails fast; `timeouts`: every call hangs until aborted. */
  readonly outage: UpstreamOutage;
}

/** A Redis Cluster seed node. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Everything {@link startService} can be told; every field has a default. */
export interface ServiceOptions {
  /** Names the service in logs and metrics. @default 'hardened-service' */
  readonly name?: string;
  /** Interface to listen on. @default '127.0.0.1' — never all interfaces by accident. */
  readonly host?: string;
  /** Port to listen on; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** A Redis server for the cache and the rate limiter. @default none — in memory. */
  readonly redisUrl?: string | undefined;
  /** Seed nodes of a Redis Cluster, instead of `redisUrl`. @default none */
  readonly redisClusterNodes?: readonly RedisNode[] | undefined;
  /**
   * Addresses of reverse proxies whose `X-Forwarded-For` is believed. @default [] — the
   * socket's peer is the client, since anyone can send `X-Forwarded-For`.
   */
  readonly trustedProxies?: readonly string[];
  /** Enables `/admin/*` for callers sending `Authorization: Bearer <token>`. @default none — no admin surface. */
  readonly adminToken?: string | undefined;
  /** The per-client limits. @default 60 per minute and 1000 per hour. */
  readonly rateLimits?: readonly LimitDefinition[];
  /** How long an API request may take before it fails with 504. @default 3000 */
  readonly requestDeadlineMs?: number;
  /** `server.requestTimeout`: the longest a client may take to send a whole request. @default 10000 */
  readonly requestTimeoutMs?: number;
  /** `server.headersTimeout`: the longest a client may take to send the headers. @default 5000 */
  readonly headersTimeoutMs?: number;
  /** `server.keepAliveTimeout`: how long an idle keep-alive connection stays open. @default 5000 */
  readonly keepAliveTimeoutMs?: number;
  /** The largest request body accepted, in bytes. @default 16384 */
  readonly maxBodyBytes?: number;
  /** How long shutdown waits for in-flight requests before cutting them off. @default 10000 */
  readonly shutdownTimeoutMs?: number;
  /** The product cache. */
  readonly cache?: {
    /** @default 10000 */
    readonly ttlMs?: number;
    /** How long an expired product may stand in while the upstream fails. @default 600000 */
    readonly graceMs?: number;
    /** After this long, a caller with a stale product gets it while the refresh goes on. @default 250 */
    readonly softTimeoutMs?: number;
    /** After this long a load is abandoned. @default 2500 */
    readonly hardTimeoutMs?: number;
  };
  /** The circuit breaker in front of the upstream. */
  readonly breaker?: {
    /** @default 1000 */
    readonly timeoutMs?: number;
    /** @default 10 */
    readonly volumeThreshold?: number;
    /** @default 50 */
    readonly errorThresholdPercentage?: number;
    /** @default 10000 */
    readonly rollingWindowMs?: number;
    /** @default 5000 */
    readonly resetTimeoutMs?: number;
    /** @default 30000 */
    readonly maxResetTimeoutMs?: number;
    /** Most upstream calls in flight at once. @default 100 */
    readonly capacity?: number;
  };
  /** The retry policy around the breaker. */
  readonly retry?: {
    /** @default 2 */
    readonly retries?: number;
    /** @default 50 */
    readonly baseDelayMs?: number;
    /** @default 1000 */
    readonly maxDelayMs?: number;
    /** @default 2500 */
    readonly maxElapsedMs?: number;
  };
  /** The simulated upstream's behaviour at start. */
  readonly upstream?: Partial<UpstreamSettings>;
  /** Random numbers for the upstream's jitter and failures (a seeded source in tests). @default Math.random */
  readonly random?: () => number;
  /** The lowest level logged. @default the `LOG_LEVEL` environment variable, else `info` */
  readonly logLevel?: LogLevel | undefined;
  /** Where logs go. @default 'stdout' */
  readonly logDestination?: LogDestination | readonly LogDestination[];
  /** Whether prom-client's process metrics (CPU, memory, event loop) are exported. @default true */
  readonly processMetrics?: boolean;
}

const positiveInteger = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
const nonNegativeInteger = z
  .int({ error: 'must be a non-negative integer' })
  .nonnegative({ error: 'must be a non-negative integer' });
const positive = (fallback: number) => positiveInteger.default(fallback);

const redisUrl = z
  .string({ error: 'must be a redis:// or rediss:// URL' })
  .regex(/^rediss?:\/\/\S+$/, { error: 'must be a redis:// or rediss:// URL' });

const schema = z
  .strictObject({
    name: z
      .string()
      .regex(/^[a-z][\w-]{0,62}$/i, { error: 'must be a short name of letters, digits, - or _' })
      .default('hardened-service'),
    host: z.string().min(1, { error: 'must be a host name or address' }).default('127.0.0.1'),
    port: z
      .int({ error: 'must be a port number from 0 to 65535' })
      .min(0, { error: 'must be a port number from 0 to 65535' })
      .max(65_535, { error: 'must be a port number from 0 to 65535' })
      .default(3000),
    redisUrl: redisUrl.optional(),
    redisClusterNodes: z
      .array(
        z.strictObject({
          host: z.string().min(1, { error: 'must be a host name or address' }),
          port: positiveInteger.max(65_535, { error: 'must be a port number' }),
        }),
      )
      .min(1, { error: 'must list at least one node' })
      .optional(),
    trustedProxies: z
      .array(z.string().refine((value) => isIP(value) !== 0, { error: 'must be an IP address' }))
      .default([]),
    adminToken: z
      .string()
      .min(16, { error: 'must be at least 16 characters: it guards the admin surface' })
      .optional(),
    rateLimits: z
      .array(z.custom<LimitDefinition>((value) => typeof value === 'object' && value !== null))
      .min(1, { error: 'must list at least one limit' })
      .optional(),
    requestDeadlineMs: positive(3_000),
    requestTimeoutMs: positive(10_000),
    headersTimeoutMs: positive(5_000),
    keepAliveTimeoutMs: positive(5_000),
    maxBodyBytes: positive(16_384),
    shutdownTimeoutMs: positive(10_000),
    cache: z
      .strictObject({
        ttlMs: positive(10_000),
        graceMs: nonNegativeInteger.default(600_000),
        softTimeoutMs: positive(250),
        hardTimeoutMs: positive(2_500),
      })
      .prefault({}),
    breaker: z
      .strictObject({
        timeoutMs: positive(1_000),
        volumeThreshold: positive(10),
        errorThresholdPercentage: z
          .number({ error: 'must be a percentage from 1 to 100' })
          .min(1, { error: 'must be a percentage from 1 to 100' })
          .max(100, { error: 'must be a percentage from 1 to 100' })
          .default(50),
        rollingWindowMs: positive(10_000),
        resetTimeoutMs: positive(5_000),
        maxResetTimeoutMs: positive(30_000),
        capacity: positive(100),
      })
      .prefault({}),
    retry: z
      .strictObject({
        retries: nonNegativeInteger.default(2),
        baseDelayMs: positive(50),
        maxDelayMs: positive(1_000),
        maxElapsedMs: positive(2_500),
      })
      .prefault({}),
    upstream: z
      .strictObject({
        latencyMs: nonNegativeInteger.default(40),
        jitterMs: nonNegativeInteger.default(20),
        errorRate: z
          .number({ error: 'must be a number from 0 to 1' })
          .min(0, { error: 'must be a number from 0 to 1' })
          .max(1, { error: 'must be a number from 0 to 1' })
          .default(0.02),
        outage: z
          .enum(['none', 'errors', 'timeouts'], { error: 'must be none, errors or timeouts' })
          .default('none'),
      })
      .prefault({}),
    random: z
      .custom<() => number>((value) => typeof value === 'function', { error: 'must be a function' })
      .default(() => Math.random),
    logLevel: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
        error: 'must be a log level',
      })
      .optional(),
    logDestination: z
      .custom<LogDestination | readonly LogDestination[]>((value) => value !== undefined)
      .default('stdout'),
    processMetrics: z.boolean({ error: 'must be a boolean' }).default(true),
  })
  .refine((config) => config.redisUrl === undefined || config.redisClusterNodes === undefined, {
    error: 'must not be set together with `redisUrl`: choose one Redis',
    path: ['redisClusterNodes'],
  })
  .refine((config) => config.cache.softTimeoutMs < config.cache.hardTimeoutMs, {
    error: 'must be less than `cache.hardTimeoutMs`',
    path: ['cache', 'softTimeoutMs'],
  });

/** {@link ServiceOptions} with every default applied. */
export interface ServiceConfig {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly redisUrl?: string | undefined;
  readonly redisClusterNodes?: readonly RedisNode[] | undefined;
  readonly trustedProxies: readonly string[];
  readonly adminToken?: string | undefined;
  readonly rateLimits?: readonly LimitDefinition[] | undefined;
  readonly requestDeadlineMs: number;
  readonly requestTimeoutMs: number;
  readonly headersTimeoutMs: number;
  readonly keepAliveTimeoutMs: number;
  readonly maxBodyBytes: number;
  readonly shutdownTimeoutMs: number;
  readonly cache: {
    readonly ttlMs: number;
    readonly graceMs: number;
    readonly softTimeoutMs: number;
    readonly hardTimeoutMs: number;
  };
  readonly breaker: {
    readonly timeoutMs: number;
    readonly volumeThreshold: number;
    readonly errorThresholdPercentage: number;
    readonly rollingWindowMs: number;
    readonly resetTimeoutMs: number;
    readonly maxResetTimeoutMs: number;
    readonly capacity: number;
  };
  readonly retry: {
    readonly retries: number;
    readonly baseDelayMs: number;
    readonly maxDelayMs: number;
    readonly maxElapsedMs: number;
  };
  readonly upstream: UpstreamSettings;
  readonly random: () => number;
  readonly logLevel?: LogLevel | undefined;
  readonly logDestination: LogDestination | readonly LogDestination[];
  readonly processMetrics: boolean;
}

/**
 * Validates the options and applies the defaults.
 * @throws {@link ConfigurationError} naming every invalid option.
 */
export function parseServiceConfig(options: ServiceOptions = {}): ServiceConfig {
  return parseOptions(schema, options, 'startService');
}
