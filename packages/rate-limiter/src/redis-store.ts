import { InternalError, isRampartError, parseOptions, UnavailableError } from '@rampart/errors';
import { pendingConnection } from '@rampart/redis';
import type { Cluster, Redis } from 'ioredis';
import * as z from 'zod';
import { applyBan } from './internal/admission/bans.ts';
import {
  type CompiledLimit,
  MODE_CONSUME,
  MODE_PEEK,
  MODE_REWARD,
  type Mode,
  OUTCOME_SLOTS,
  report,
  STATE_SLOTS,
} from './internal/algorithms.ts';
import { layoutOf, toStoreOutcome } from './internal/layout.ts';
import {
  REPLY_BAN_BYTES,
  REPLY_HEADER_BYTES,
  REPLY_LIMIT_BYTES,
  SCRIPT_MODES,
  scriptFor,
} from './internal/lua-script.ts';
import { type RawStore, rawStore } from './internal/raw-store.ts';
import { redisKey } from './internal/redis-keys.ts';
import {
  createScriptRunner,
  type ScriptArguments,
  type ScriptRunner,
} from './internal/script-runner.ts';
import { zeros } from './internal/zeros.ts';

const SCRIPT_RESET = SCRIPT_MODES[3];

import type { RateLimitStore, StoreOutcome, StoreRequest, StoreResetRequest } from './store.ts';

/** Options of {@link redisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis client: `new Redis(…)` for a single node or Sentinel, `new Redis.Cluster(…)`
   * for a Cluster. It stays yours: the store never closes it (use
   * {@link @rampart/redis!closeRedis | closeRedis}). For the fastest fallback when Redis is
   * down, create it with {@link @rampart/redis!recommendedRedisOptions | recommendedRedisOptions}.
   * A decision asked while the client is still connecting waits for the connection within
   * the limiter's `storeTimeoutMs`.
   */
  readonly client: Redis | Cluster;
}

const isClient = (value: unknown): value is Redis | Cluster =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as { evalsha?: unknown }).evalsha === 'function' &&
  typeof (value as { eval?: unknown }).eval === 'function';

const optionsSchema = z.strictObject({
  client: z.custom<Redis | Cluster>(isClient, {
    error: 'must be an ioredis client (new Redis(…) or new Redis.Cluster(…))',
  }),
});

/**
 * Waits for a connection attempt under way, if any. When the attempt fails the command is
 * sent all the same, so it fails with the client's own error (or queues, if the client has
 * an offline queue); when `signal` aborts first (the limiter stopped waiting) it is not.
 */
async function connected(client: Redis | Cluster, signal: AbortSignal | undefined): Promise<void> {
  const connecting = pendingConnection(client, signal);
  if (connecting === undefined) return;
  try {
    await connecting;
  } catch (error) {
    if (signal?.aborted === true) throw error;
  }
}

/** The key suffix of a limits array: the limit names joined by `+`. */
const suffixes = new WeakMap<readonly CompiledLimit[], string>();
function suffixOf(limits: readonly CompiledLimit[]): string {
  let suffix = suffixes.get(limits);
  if (suffix === undefined) {
    suffix = limits.map((limit) => limit.name).join('+');
    suffixes.set(limits, suffix);
  }
  return suffix;
}

/**
 * A Redis store: every decision is one `EVALSHA` of one script reading and writing one key
 * per caller, whatever the number of limits, on a single node, Sentinel or Cluster (the key
 * is `<prefix>{<key>}:<limit names>`, hash-tagged by the caller). The script is loaded on
 * first use and again after `NOSCRIPT` (a restarted or failed-over Redis). Time comes from
 * Redis `TIME`, so app servers with skewed clocks agree; a request's `nowMs`, when given
 * (the conformance suite does), is used instead, and keys written then live at least 60 s
 * of real time so a test's real time cannot expire state its injected time still needs. A
 * key expires (`PX`) exactly when the last of its limits stops mattering. Failures reject
 * with an `UnavailableError` whose `cause` is the client's error.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `client` is not an ioredis client.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { createRateLimiter } from '@rampart/rate-limiter';
 * import { recommendedRedisOptions, redisStore } from '@rampart/rate-limiter/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', recommendedRedisOptions);
 * const limiter = createRateLimiter({
 *   limits: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
 *   store: redisStore({ client }),
 * });
 * ```
 */
export function redisStore(options: RedisStoreOptions): RateLimitStore {
  const { client } = parseOptions(optionsSchema, options, 'redisStore');

  const send: ScriptRunner = createScriptRunner(client);

  /** `numkeys`, the caller's key, then mode, cost and now. */
  const argumentsOf = (
    request: StoreResetRequest,
    limits: readonly CompiledLimit[],
    mode: string,
    cost: number,
  ): ScriptArguments => [
    '1',
    redisKey(request.prefix, request.key, suffixOf(limits)),
    mode,
    String(cost),
    request.nowMs === undefined ? '' : String(request.nowMs),
  ];

  /** The same with the caller's ban key and the ban's length, for the script with bans. */
  const banArgumentsOf = (
    request: StoreResetRequest,
    limits: readonly CompiledLimit[],
    mode: string,
    cost: number,
    blockDurationMs: number,
  ): ScriptArguments => {
    const suffix = suffixOf(limits);
    return [
      '2',
      redisKey(request.prefix, request.key, suffix),
      redisKey(request.prefix, request.key, `${suffix}:ban`),
      mode,
      String(cost),
      request.nowMs === undefined ? '' : String(request.nowMs),
      String(blockDurationMs),
    ];
  };

  // Scratch for turning a reply into outcome numbers, used synchronously.
  let state: number[] = zeros(STATE_SLOTS);

  const evaluate = async (
    request: StoreRequest,
    mode: Mode,
    blockDurationMs = 0,
    deadline?: () => AbortSignal,
  ): Promise<ArrayLike<number>> => {
    const { limits } = layoutOf(request.limits);
    const bans = blockDurationMs > 0;
    let reply: unknown;
    try {
      // A client still connecting (created in the same tick, lazyConnect, a reconnect in
      // progress) is waited for within the limiter's deadline, instead of failing at once.
      if (client.status !== 'ready') await connected(client, deadline?.());
      reply = await send(
        scriptFor(limits, bans),
        bans
          ? banArgumentsOf(request, limits, SCRIPT_MODES[mode], request.cost, blockDurationMs)
          : argumentsOf(request, limits, SCRIPT_MODES[mode], request.cost),
      );
    } catch (cause) {
      throw isRampartError(cause)
        ? cause
        : new UnavailableError('Redis rate-limit store: the script call failed', {
            cause,
            captureStack: false,
          });
    }
    const count = limits.length;
    const header = bans ? REPLY_HEADER_BYTES + REPLY_BAN_BYTES : REPLY_HEADER_BYTES;
    if (!Buffer.isBuffer(reply) || reply.length !== header + REPLY_LIMIT_BYTES * count) {
      throw new InternalError('Redis rate-limit store: unexpected script reply', {
        context: { reply: String(reply).slice(0, 200) },
      });
    }
    // The script checked and changed the state; the outcome numbers are computed here, by
    // the same code as the memory store's.
    if (state.length < STATE_SLOTS * count) state = zeros(STATE_SLOTS * count);
    // A fresh array: the caller reads it after other replies may have been handled.
    const out = zeros(1 + OUTCOME_SLOTS * count);
    for (let index = 0; index < count; index++) {
      const at = header + index * REPLY_LIMIT_BYTES;
      out[1 + index * OUTCOME_SLOTS] = reply[at] as number;
      state[index * STATE_SLOTS] = reply.readDoubleLE(at + 1);
      state[index * STATE_SLOTS + 1] = reply.readDoubleLE(at + 9);
      state[index * STATE_SLOTS + 2] = reply.readDoubleLE(at + 17);
    }
    const now = reply.readDoubleLE(1);
    const all = reply[0] === 1;
    report(limits, state, 0, now, request.cost, mode, all, out);
    const bannedMs = bans ? reply.readDoubleLE(REPLY_HEADER_BYTES) : 0;
    if (bannedMs > 0) applyBan(out, count, bannedMs);
    return out;
  };

  const outcome = async (request: StoreRequest, mode: Mode): Promise<StoreOutcome> =>
    toStoreOutcome(await evaluate(request, mode), request.limits.length);

  const raw: RawStore = { evaluate };
  return {
    timeSource: 'store',
    consume: (request) => outcome(request, MODE_CONSUME),
    peek: (request) => outcome(request, MODE_PEEK),
    reward: (request) => outcome(request, MODE_REWARD),
    async reset(request) {
      const { limits } = layoutOf(request.limits);
      try {
        // Bounded by the connection attempt (and raced against the limiter's deadline).
        await connected(client, undefined);
        // The script with bans: its reset deletes the caller's ban too.
        await send(scriptFor(limits, true), banArgumentsOf(request, limits, SCRIPT_RESET, 1, 0));
      } catch (cause) {
        throw new UnavailableError('Redis rate-limit store: reset failed', {
          cause,
          captureStack: false,
        });
      }
    },
    close: () => Promise.resolve(),
    async ping() {
      try {
        await client.ping();
      } catch (cause) {
        throw new UnavailableError('Redis rate-limit store: PING failed', {
          cause,
          captureStack: false,
        });
      }
    },
    [rawStore]: raw,
  } as RateLimitStore;
}
