import { type Clock, clockSchema, parseOptions, systemClock } from '@rampart/errors';
import { MAX_DURATION_MS, type StoreGuardSettings } from '@rampart/redis';
import * as z from 'zod';
import type { CacheBus } from './bus.ts';
import type { L2Store } from './l2-store.ts';
import { isMemoryStore, type MemoryStore } from './memory-store.ts';
import { type CacheSerializer, jsonSerializer } from './serializer.ts';

/** Options of {@link createCache}. */
export interface CacheOptions {
  /**
   * The name in events and metrics labels.
   * @default the namespace
   */
  readonly name?: string;
  /**
   * Partitions keys in L2 so caches sharing one Redis never see each other's entries;
   * `clear()` empties only this namespace. Letters, digits, `_`, `-`, `.` and `/`.
   * @default `'default'`
   */
  readonly namespace?: string;
  /**
   * The in-process tier, or `false` for none.
   * @default `memoryStore({ maxEntries: 10_000 })` — the embedded default is L1 only.
   */
  readonly l1?: MemoryStore | false;
  /**
   * The shared tier, e.g. `redisStore({ client })` from `@rampart/cache/redis`.
   * @default none — L1 only
   */
  readonly l2?: L2Store;
  /** How long a value is fresh, in milliseconds (overridable per call). */
  readonly ttlMs: number;
  /**
   * How long after expiry a stale value is kept to stand in for a failing or timed-out
   * factory, in milliseconds (stale-if-error).
   * @default `0` — no stale value is ever served unless you opt in
   */
  readonly graceMs?: number;
  /**
   * After a factory failed and a stale value was served, how long to keep serving it
   * without calling the factory again, in milliseconds, so a failing source is not hit on
   * every request.
   * @default `1000` — a failing source sees at most one call per key per second per process
   */
  readonly graceBackoffMs?: number;
  /**
   * After this many milliseconds of loading, callers with a stale value get it while the
   * factory refreshes the cache in the background.
   * @default none — callers wait for the factory
   */
  readonly softTimeoutMs?: number;
  /**
   * After this many milliseconds of loading, the factory's signal aborts and callers get the
   * stale value within grace, or a `TimeoutError`. Must exceed `softTimeoutMs`.
   * @default none — a factory may run as long as it needs (pass it a signal of your own)
   */
  readonly hardTimeoutMs?: number;
  /**
   * The L2 store guard, the same as the rate limiter's `storeGuard`: every L2 call gets a
   * deadline (`timeoutMs`; past it the cache serves from L1 or the factory); after
   * `failureThreshold` failures in a row L2 is skipped for `coolDownMs`; then one probe — the
   * store's `ping` on a timer, or else the next call — decides whether it is back. Before L2
   * is marked healthy again, the keys and tags written or deleted while it was skipped are
   * invalidated in L2 and on the bus (see the guide, "Several instances"). Durations must be
   * below 2^31 ms.
   * @default `{ timeoutMs: 100, failureThreshold: 5, coolDownMs: 1000 }` — 100 ms is far above
   *   a healthy Redis round trip and short enough to hide an outage; one unlucky call does not
   *   stop L2; a down Redis costs callers nothing, and recovery is noticed within a second.
   */
  readonly storeGuard?: StoreGuardSettings;
  /**
   * The deadline of every L2 call, in milliseconds.
   * @deprecated Use `storeGuard.timeoutMs` (the same setting); setting both is an error.
   */
  readonly l2TimeoutMs?: number;
  /**
   * Consecutive L2 failures after which L2 cools down.
   * @deprecated Use `storeGuard.failureThreshold` (the same setting); setting both is an error.
   */
  readonly l2FailureThreshold?: number;
  /**
   * How long L2 is skipped before a probe, in milliseconds.
   * @deprecated Use `storeGuard.coolDownMs` (the same setting); setting both is an error.
   */
  readonly l2CooldownMs?: number;
  /**
   * Spreads expiry: each write's TTL is shortened by a random fraction of up to `jitter`
   * (0.1: TTLs between 90 % and 100 % of `ttlMs`), so keys written together do not expire
   * together. Never lengthens a TTL.
   * @default `0`
   */
  readonly jitter?: number;
  /**
   * Encodes values for L2 and defines what every tier returns (see the guide on fidelity).
   * @default {@link jsonSerializer}
   */
  readonly serializer?: CacheSerializer;
  /**
   * The source of time.
   * @default `Date`
   */
  readonly clock?: Clock;
  /**
   * Carries invalidations between instances (keys and tags, never values), e.g.
   * `redisBus({ client })` from `@rampart/cache/redis`: after a `set`, `delete`,
   * `deleteByTag`, `clear` or a load elsewhere, every instance drops its L1 copy.
   * @default none — each instance's L1 keeps its copies until they expire
   */
  readonly bus?: CacheBus;
  /**
   * While the bus is disconnected, the longest L1 serves an entry after storing it, in
   * milliseconds: a missed invalidation is served for at most this long. When the bus
   * reconnects, L1 is flushed.
   * @default `5000` — a missed invalidation costs at most 5 s of stale reads, and a Redis
   *   outage one reload per key per 5 s
   */
  readonly busDownTtlMs?: number;
  /**
   * One factory call per key at a time across instances, through a lease in L2 (`true`, or
   * settings); overridable per call.
   * @default `false` — single flight per process
   */
  readonly distributedLock?: boolean | DistributedLockOptions;
  /**
   * Refreshes hot values in the background before they expire, XFetch-style (`true`, or
   * settings); overridable per call.
   * @default `false`
   */
  readonly earlyRefresh?: boolean | EarlyRefreshOptions;
}

/** Settings of the distributed lock ({@link CacheOptions.distributedLock}). */
export interface DistributedLockOptions {
  /**
   * How long a lease lives without renewal, in milliseconds: the holder renews it every
   * third of this while its factory runs, so it bounds how long a crashed holder delays the
   * others.
   * @default `5000`
   */
  readonly leaseMs?: number;
  /**
   * How often a load waiting for another instance's lease checks L2 when the bus brings no
   * news, in milliseconds.
   * @default `50` — short next to a factory call, cheap for Redis (two commands per poll)
   */
  readonly pollMs?: number;
}

/** Settings of early refresh ({@link CacheOptions.earlyRefresh}). */
export interface EarlyRefreshOptions {
  /**
   * XFetch's β: a hit refreshes when `now − loadMs · β · ln(random()) ≥ expiresAt`, where
   * `loadMs` is how long the factory took last time. Higher refreshes earlier.
   * @default `1` — the value the XFetch paper shows to be optimal
   */
  readonly beta?: number;
}

const positiveInteger = z
  .int({ error: 'must be a positive integer' })
  .positive({ error: 'must be a positive integer' });
const belowTimerLimit = {
  error: 'must be below 2^31 ms (Node fires longer timers after 1 ms)',
} as const;
/** A positive duration in milliseconds: below 2^31, which Node's timers cannot wait. */
const durationMs = positiveInteger.max(MAX_DURATION_MS, belowTimerLimit);
/** A duration that may be 0. */
const nonNegativeDurationMs = z
  .int({ error: 'must be a non-negative integer' })
  .nonnegative({ error: 'must be a non-negative integer' })
  .max(MAX_DURATION_MS, belowTimerLimit);

/** The L2 guard's defaults: see {@link CacheOptions.storeGuard}. */
const GUARD_DEFAULTS = { timeoutMs: 100, failureThreshold: 5, coolDownMs: 1000 } as const;

const objectWith =
  (...methods: readonly string[]) =>
  (value: unknown): boolean =>
    typeof value === 'object' &&
    value !== null &&
    methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function');

const schema = z
  .strictObject({
    name: z.string().min(1, { error: 'must be a non-empty string' }).optional(),
    namespace: z
      .string({ error: 'must be a string' })
      .regex(/^[\w./-]{1,100}$/, {
        error: 'must be 1–100 letters, digits, "_", "-", "." or "/"',
      })
      .default('default'),
    l1: z
      .custom<MemoryStore | false>((value) => value === false || isMemoryStore(value), {
        error: 'must be a memoryStore() or false',
      })
      .optional(),
    l2: z
      .custom<L2Store>(objectWith('get', 'set', 'delete', 'clear'), {
        error: 'must be an L2 store (e.g. redisStore()) with get, set, delete and clear',
      })
      .optional(),
    ttlMs: durationMs,
    graceMs: nonNegativeDurationMs.default(0),
    graceBackoffMs: nonNegativeDurationMs.default(1000),
    softTimeoutMs: durationMs.optional(),
    hardTimeoutMs: durationMs.optional(),
    storeGuard: z
      .strictObject(
        {
          timeoutMs: durationMs.optional(),
          failureThreshold: positiveInteger.optional(),
          coolDownMs: durationMs.optional(),
        },
        { error: 'must be an object { timeoutMs?, failureThreshold?, coolDownMs? }' },
      )
      .optional(),
    l2TimeoutMs: durationMs.optional(),
    l2FailureThreshold: positiveInteger.optional(),
    l2CooldownMs: durationMs.optional(),
    jitter: z
      .number({ error: 'must be a number from 0 to 1' })
      .min(0, { error: 'must be a number from 0 to 1' })
      .max(1, { error: 'must be a number from 0 to 1' })
      .default(0),
    serializer: z
      .custom<CacheSerializer>(objectWith('serialize', 'deserialize'), {
        error: 'must be an object with serialize and deserialize methods',
      })
      .default(jsonSerializer),
    clock: clockSchema.default(() => systemClock),
    bus: z
      .custom<CacheBus>(objectWith('subscribe', 'close'), {
        error: 'must be a bus (e.g. redisBus()) with subscribe and close',
      })
      .optional(),
    busDownTtlMs: durationMs.default(5000),
    distributedLock: z
      .union(
        [
          z.boolean(),
          z.strictObject({
            leaseMs: durationMs.default(5000),
            pollMs: durationMs.default(50),
          }),
        ],
        { error: 'must be a boolean or { leaseMs?, pollMs? }' },
      )
      .default(false),
    earlyRefresh: z
      .union(
        [
          z.boolean(),
          z.strictObject({
            beta: z
              .number({ error: 'must be a positive number' })
              .positive({ error: 'must be a positive number' })
              .default(1),
          }),
        ],
        { error: 'must be a boolean or { beta? }' },
      )
      .default(false),
  })
  .refine(
    (options) =>
      options.softTimeoutMs === undefined ||
      options.hardTimeoutMs === undefined ||
      options.softTimeoutMs < options.hardTimeoutMs,
    { error: 'must be less than `hardTimeoutMs`', path: ['softTimeoutMs'] },
  )
  .superRefine((options, context) => {
    const guard = options.storeGuard ?? {};
    const renamed = [
      ['l2TimeoutMs', 'timeoutMs'],
      ['l2FailureThreshold', 'failureThreshold'],
      ['l2CooldownMs', 'coolDownMs'],
    ] as const;
    for (const [old, field] of renamed) {
      if (options[old] === undefined || guard[field] === undefined) continue;
      context.addIssue({
        code: 'custom',
        path: [old],
        message: `is a deprecated name of \`storeGuard.${field}\`: set only \`storeGuard.${field}\``,
        input: options[old],
      });
    }
  })
  .refine((options) => options.l1 !== false || options.l2 !== undefined, {
    error: 'must not be false without an l2: a cache needs at least one tier',
    path: ['l1'],
  })
  .refine((options) => options.distributedLock === false || supportsLeases(options.l2), {
    error:
      'needs an l2 store with leases (acquireLease, renewLease, releaseLease), e.g. redisStore()',
    path: ['distributedLock'],
  });

function supportsLeases(store: L2Store | undefined): boolean {
  return (
    store?.acquireLease !== undefined &&
    store.renewLease !== undefined &&
    store.releaseLease !== undefined
  );
}

/** {@link CacheOptions} after validation, with defaults applied. */
export interface ParsedCacheOptions {
  readonly name?: string | undefined;
  readonly namespace: string;
  readonly l1?: MemoryStore | false | undefined;
  readonly l2?: L2Store | undefined;
  readonly ttlMs: number;
  readonly graceMs: number;
  readonly graceBackoffMs: number;
  readonly softTimeoutMs?: number | undefined;
  readonly hardTimeoutMs?: number | undefined;
  /** The L2 guard's settings, from `storeGuard` or the deprecated names, defaulted. */
  readonly storeGuard: {
    readonly timeoutMs: number;
    readonly failureThreshold: number;
    readonly coolDownMs: number;
  };
  readonly jitter: number;
  readonly serializer: CacheSerializer;
  readonly clock: Clock;
  readonly bus?: CacheBus | undefined;
  readonly busDownTtlMs: number;
  readonly distributedLock: boolean | { readonly leaseMs: number; readonly pollMs: number };
  readonly earlyRefresh: boolean | { readonly beta: number };
}

/**
 * Validates {@link CacheOptions} and applies the defaults.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every bad option.
 */
export function parseCacheOptions(options: CacheOptions): ParsedCacheOptions {
  const { storeGuard, l2TimeoutMs, l2FailureThreshold, l2CooldownMs, ...rest } = parseOptions(
    schema,
    options,
    'createCache',
  );
  return {
    ...rest,
    storeGuard: {
      timeoutMs: storeGuard?.timeoutMs ?? l2TimeoutMs ?? GUARD_DEFAULTS.timeoutMs,
      failureThreshold:
        storeGuard?.failureThreshold ?? l2FailureThreshold ?? GUARD_DEFAULTS.failureThreshold,
      coolDownMs: storeGuard?.coolDownMs ?? l2CooldownMs ?? GUARD_DEFAULTS.coolDownMs,
    },
  };
}
