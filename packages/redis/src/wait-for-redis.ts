import { invalidArgument, TimeoutError, UnavailableError } from '@rampart/errors';
import { isConnecting, isRedisClient, type RedisClient } from './client.ts';
import { addReadyWaiter } from './internal/ready-waiters.ts';
import { readDuration, readOptions, readSignal } from './internal/timeout-option.ts';

/** Options of {@link waitForRedis}. */
export interface WaitForRedisOptions {
  /**
   * How long to wait for `ready`, in milliseconds.
   * @defaultValue 10000: ioredis' default `connectTimeout`, so at least one full connection
   * attempt fits, and a start-up with Redis down still goes on (or fails) in bounded time.
   */
  readonly timeoutMs?: number | undefined;
  /** Stops the wait: the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal | undefined;
}

const WHERE = 'waitForRedis';

/** Starts a lazy (`lazyConnect`) client; a failed attempt is reported through its events. */
function startIfLazy(client: RedisClient): void {
  if (client.status === 'wait') {
    client.connect().catch(() => {
      // The attempt's failure reaches the client's `error` listeners and the waiters.
    });
  }
}

function endedError(client: RedisClient): UnavailableError {
  return new UnavailableError('Redis: the client was closed before it became ready', {
    context: { status: client.status },
    captureStack: false,
  });
}

/**
 * Waits until an ioredis client (version 5 or 6, single node, Sentinel or Cluster) is
 * `ready`, within a deadline.
 *
 * @remarks
 * Resolves at once when the client is ready. A lazy client (`lazyConnect: true`) is
 * connected. While Redis is down the client keeps reconnecting and the wait goes on until
 * `timeoutMs`; it never leaves a listener or a timer behind. Use it at start-up to log
 * whether Redis is there, or in a readiness check; the Rampart stores do not need it, as a
 * call made while the client connects waits for the connection within its own deadline.
 *
 * @param client - An ioredis `Redis` or `Cluster`.
 * @param options - {@link WaitForRedisOptions}.
 * @returns A promise that resolves once the client is ready.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} (synchronously) when
 *   `client` is not an ioredis client or an option is invalid.
 * @throws {@link @rampart/errors!TimeoutError | TimeoutError} (rejects) when the client
 *   is not ready within `timeoutMs`.
 * @throws {@link @rampart/errors!UnavailableError | UnavailableError} (rejects) when the
 *   client ends first (closed, or its `retryStrategy` gave up).
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { recommendedRedisOptions, waitForRedis } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', recommendedRedisOptions);
 * try {
 *   await waitForRedis(client, { timeoutMs: 5_000 });
 * } catch (error) {
 *   console.warn('Redis is not there yet; the stores use their fallbacks meanwhile', error);
 * }
 * ```
 */
export function waitForRedis(client: RedisClient, options?: WaitForRedisOptions): Promise<void> {
  if (!isRedisClient(client)) {
    throw invalidArgument(
      WHERE,
      'client',
      'must be an ioredis client (new Redis(…) or new Cluster(…))',
      client,
    );
  }
  const read = readOptions(WHERE, options);
  const timeoutMs = readDuration(WHERE, read, 'timeoutMs', 10_000);
  const signal = readSignal(WHERE, read);
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(endedError(client));
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      remove();
    };
    const onAbort = (): void => {
      finish();
      reject(signal?.reason);
    };
    const remove = addReadyWaiter(client, {
      attemptOnly: false,
      resolve() {
        finish();
        resolve();
      },
      reject() {
        finish();
        reject(endedError(client));
      },
    });
    // The caller awaits this timer, so it keeps the process alive (not unref'd).
    timer = setTimeout(() => {
      finish();
      reject(
        new TimeoutError(`Redis was not ready within ${timeoutMs} ms`, {
          context: { timeoutMs, status: client.status },
          captureStack: false,
        }),
      );
    }, timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    startIfLazy(client);
  });
}

/**
 * For store authors: when the client is in the middle of a connection attempt that may
 * still succeed, a promise that resolves once it is `ready`; otherwise `undefined`, and the
 * command can be sent at once (the client is ready, or it is down and fails fast).
 *
 * @remarks
 * This is how Rampart's Redis stores make a call made while the client still connects
 * (created in the same tick, `lazyConnect`, a reconnect in progress) wait for the
 * connection instead of failing at once with "Stream isn't writeable". The promise rejects
 * with an `UnavailableError` when the attempt fails or the client ends, and with the
 * signal's reason when `signal` aborts (give it the call's deadline), so the caller never
 * waits past its deadline and a call abandoned before the connection never runs.
 *
 * @param client - An ioredis `Redis` or `Cluster`.
 * @param signal - Aborts the wait (the caller's deadline).
 * @returns `undefined` when there is nothing to wait for, else the wait.
 * @example
 * ```ts
 * import type { Redis } from 'ioredis';
 * import { pendingConnection } from '@rampart/redis';
 *
 * async function read(client: Redis, key: string, signal: AbortSignal): Promise<string | null> {
 *   const connecting = pendingConnection(client, signal);
 *   if (connecting !== undefined) await connecting;
 *   return client.get(key);
 * }
 * ```
 */
export function pendingConnection(
  client: RedisClient,
  signal?: AbortSignal,
): Promise<void> | undefined {
  if (client.status === 'ready' || !isConnecting(client)) return undefined;
  if (signal?.aborted === true) return Promise.reject(signal.reason);
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      remove();
      reject(signal?.reason);
    };
    const remove = addReadyWaiter(client, {
      attemptOnly: true,
      resolve() {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      reject(why) {
        signal?.removeEventListener('abort', onAbort);
        reject(
          why === 'ended'
            ? endedError(client)
            : new UnavailableError('Redis: the connection attempt failed', {
                context: { status: client.status },
                captureStack: false,
              }),
        );
      },
    });
    signal?.addEventListener('abort', onAbort, { once: true });
    startIfLazy(client);
  });
}
