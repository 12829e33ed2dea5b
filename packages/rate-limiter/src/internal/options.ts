import { type Clock, ConfigurationError, clockSchema, parseOptions } from '@rampart/errors';
import { MAX_DURATION_MS } from '@rampart/redis';
import * as z from 'zod';
import type { RateLimitAlgorithm } from '../limits.ts';
import type { RateLimitStore } from '../store.ts';
import { rawOf } from './raw-store.ts';

const mustBePositiveInteger = { error: 'must be a positive integer' };
const positiveInteger = z.int(mustBePositiveInteger).positive(mustBePositiveInteger);
/** A duration that runs a timer: Node fires timers of 2^31 ms or more after 1 ms. */
const timerMs = positiveInteger.max(MAX_DURATION_MS, {
  error: 'must be below 2^31 ms (Node fires longer timers after 1 ms)',
});

/** The store guard's defaults: see `RateLimiterOptions.storeGuard`. */
const GUARD_DEFAULTS = { timeoutMs: 50, failureThreshold: 3, coolDownMs: 1_000 } as const;

/**
 * Largest `limit × windowMs` (and `burst × windowMs`): keeps every intermediate value of the
 * exact integer arithmetic below 2^53 in JavaScript and in the Redis script.
 */
export const MAX_UNITS_TIMES_WINDOW: number = 2 ** 50;
/** Most limits per limiter (each is one key and four script arguments). */
export const MAX_LIMITS: number = 16;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const algorithms = ['gcra', 'fixed-window', 'sliding-window', 'token-bucket'] as const;

const limitSchema = z
  .strictObject({
    name: z.string({ error: 'must be a string' }).regex(NAME_PATTERN, {
      error: 'must be 1 to 64 letters, digits, "_", "." or "-", starting with a letter or digit',
    }),
    limit: positiveInteger,
    windowMs: positiveInteger,
    algorithm: z.enum(algorithms).optional(),
    burst: positiveInteger.optional(),
  })
  .superRefine((value, context) => {
    const algorithm = value.algorithm ?? 'gcra';
    if (value.burst !== undefined && algorithm !== 'gcra' && algorithm !== 'token-bucket') {
      context.addIssue({
        code: 'custom',
        path: ['burst'],
        message: `must not be set for the ${algorithm} algorithm (only gcra and token-bucket have a burst)`,
        input: value.burst,
      });
    }
    const units = Math.max(value.limit, value.burst ?? 0);
    if (units * value.windowMs > MAX_UNITS_TIMES_WINDOW) {
      context.addIssue({
        code: 'custom',
        path: ['windowMs'],
        message: `must keep limit × windowMs and burst × windowMs at most 2^50 (limit ${value.limit}, burst ${value.burst ?? value.limit})`,
        input: value.windowMs,
      });
    }
  });

const isStore = (value: unknown): value is RateLimitStore => {
  if (typeof value !== 'object' || value === null) return false;
  const store = value as Record<string, unknown>;
  return (
    (store.timeSource === 'caller' || store.timeSource === 'store') &&
    ['consume', 'peek', 'reward', 'reset', 'close'].every(
      (method) => typeof store[method] === 'function',
    )
  );
};

/** The schema of `createRateLimiter`'s options; defaults documented on `RateLimiterOptions`. */
const rateLimiterOptionsSchema = z
  .strictObject({
    name: z
      .string({ error: 'must be a string' })
      .min(1, { error: 'must not be empty' })
      .default('rate-limiter'),
    limits: z
      .array(limitSchema, { error: 'must be an array of limits' })
      .min(1, { error: 'must have at least one limit' })
      .max(MAX_LIMITS, { error: `must have at most ${MAX_LIMITS} limits` })
      .superRefine((limits, context) => {
        const seen = new Set<string>();
        limits.forEach((limit, index) => {
          if (seen.has(limit.name)) {
            context.addIssue({
              code: 'custom',
              path: [index, 'name'],
              message: 'must be unique among the limits',
              input: limit.name,
            });
          }
          seen.add(limit.name);
        });
      })
      .optional(),
    store: z
      .custom<RateLimitStore>(isStore, {
        error: 'must be a rate-limit store, e.g. memoryStore() or redisStore({ client })',
      })
      .optional(),
    prefix: z
      .string({ error: 'must be a string' })
      .regex(/^[^{}]*$/, { error: 'must not contain "{" or "}" (the key goes in the hash tag)' })
      .max(256, { error: 'must have at most 256 characters' })
      .default('rampart:rl:'),
    onStoreError: z.enum(['fallback', 'allow', 'deny']).default('fallback'),
    storeGuard: z
      .strictObject({
        timeoutMs: timerMs.optional(),
        failureThreshold: positiveInteger.optional(),
        coolDownMs: timerMs.optional(),
      })
      .optional(),
    storeTimeoutMs: timerMs.optional(),
    recovery: z
      .strictObject({
        failureThreshold: positiveInteger.optional(),
        coolDownMs: timerMs.optional(),
      })
      .optional(),
    blockCache: z
      .union([z.boolean(), z.strictObject({ maxKeys: positiveInteger.default(10_000) })], {
        error: 'must be a boolean or { maxKeys }',
      })
      .default(true),
    shadow: z.boolean({ error: 'must be a boolean' }).default(false),
    maxWaitingPerKey: positiveInteger
      .max(1_000_000, { error: 'must be at most 1000000' })
      .default(100),
    blockDurationMs: timerMs.optional(),
    clock: clockSchema.optional(),
  })
  .superRefine((options, context) => {
    const guard = options.storeGuard ?? {};
    const conflicts: [boolean, (string | number)[], string][] = [
      [
        options.storeTimeoutMs !== undefined && guard.timeoutMs !== undefined,
        ['storeTimeoutMs'],
        'storeGuard.timeoutMs',
      ],
      [
        options.recovery?.failureThreshold !== undefined && guard.failureThreshold !== undefined,
        ['recovery', 'failureThreshold'],
        'storeGuard.failureThreshold',
      ],
      [
        options.recovery?.coolDownMs !== undefined && guard.coolDownMs !== undefined,
        ['recovery', 'coolDownMs'],
        'storeGuard.coolDownMs',
      ],
    ];
    for (const [both, path, replacement] of conflicts) {
      if (!both) continue;
      context.addIssue({
        code: 'custom',
        path,
        message: `is a deprecated name of \`${replacement}\`: set only \`${replacement}\``,
        input: undefined,
      });
    }
  });

/** `createRateLimiter`'s options after validation, with defaults applied. */
export interface ParsedRateLimiterOptions {
  readonly name: string;
  readonly limits?:
    | readonly {
        readonly name: string;
        readonly limit: number;
        readonly windowMs: number;
        readonly algorithm?: RateLimitAlgorithm | undefined;
        readonly burst?: number | undefined;
      }[]
    | undefined;
  readonly store?: RateLimitStore | undefined;
  readonly prefix: string;
  readonly onStoreError: 'fallback' | 'allow' | 'deny';
  /** The store guard's settings, from `storeGuard` or the deprecated names, defaulted. */
  readonly storeGuard: {
    readonly timeoutMs: number;
    readonly failureThreshold: number;
    readonly coolDownMs: number;
  };
  readonly blockCache: boolean | { readonly maxKeys: number };
  readonly shadow: boolean;
  readonly blockDurationMs?: number | undefined;
  readonly maxWaitingPerKey: number;
  readonly clock?: Clock | undefined;
}

/**
 * Validates `createRateLimiter`'s options.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} naming every invalid option.
 */
export function parseRateLimiterOptions(input: unknown): ParsedRateLimiterOptions {
  const { storeGuard, storeTimeoutMs, recovery, ...rest } = parseOptions(
    rateLimiterOptionsSchema,
    input,
    'createRateLimiter',
  );
  if (
    rest.blockDurationMs !== undefined &&
    rest.store !== undefined &&
    rawOf(rest.store) === undefined
  ) {
    throw new ConfigurationError(
      'createRateLimiter: `blockDurationMs` needs memoryStore() or redisStore(): a store of your own cannot keep bans',
      {
        issues: [
          {
            path: 'blockDurationMs',
            message: 'needs memoryStore() or redisStore()',
            code: 'custom',
          },
        ],
      },
    );
  }
  return {
    ...rest,
    storeGuard: {
      timeoutMs: storeGuard?.timeoutMs ?? storeTimeoutMs ?? GUARD_DEFAULTS.timeoutMs,
      failureThreshold:
        storeGuard?.failureThreshold ??
        recovery?.failureThreshold ??
        GUARD_DEFAULTS.failureThreshold,
      coolDownMs: storeGuard?.coolDownMs ?? recovery?.coolDownMs ?? GUARD_DEFAULTS.coolDownMs,
    },
  };
}
