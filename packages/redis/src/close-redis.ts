import { invalidArgument } from '@rampart/errors';
import { isRedisClient, type RedisClient } from './client.ts';
import { destroySockets, finishStuckClose, isFullyClosed, socketsOf } from './internal/sockets.ts';
import { readDuration, readOptions } from './internal/timeout-option.ts';

/** Options of {@link closeRedis}. */
export interface CloseRedisOptions {
  /**
   * The longest the close may take, in milliseconds: a graceful `QUIT` gets this long, then
   * the connection is cut.
   * @defaultValue 2000: far above a healthy Redis' `QUIT` round trip, short enough for a
   * shutdown grace period (Kubernetes gives 30 s for everything).
   */
  readonly timeoutMs?: number | undefined;
}

const WHERE = 'closeRedis';

/** Resolves when `client` ends or after `waitMs`, whichever comes first; never rejects. */
function ended(client: RedisClient, waitMs: number): Promise<void> {
  if (isFullyClosed(client)) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      client.off('end', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, waitMs));
    client.once('end', done);
  });
}

/** `QUIT`, or `undefined` when it failed or did not answer within `waitMs`. */
async function quit(client: RedisClient, waitMs: number): Promise<'OK' | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), waitMs);
  });
  try {
    const answer = client.quit().then(
      () => 'OK' as const,
      () => undefined,
    );
    return await Promise.race([answer, late]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes an ioredis client (version 5 or 6, single node, Sentinel or Cluster) whatever its
 * state, within a bound, and never rejects.
 *
 * @remarks
 * A ready client is sent `QUIT`, so replies to commands already sent still arrive. A client
 * that is not ready (Redis down, hung or still connecting), or whose `QUIT` gets no answer
 * within `timeoutMs`, is disconnected and its sockets destroyed. Either way no reconnect
 * timer and no socket is left that keeps the process alive, including a client closed while
 * it waits to reconnect. `client.quit()` alone rejects with "Stream isn't writeable" on a
 * client created with `enableOfflineQueue: false` that is not connected, and the client
 * then reconnects later and keeps the process alive.
 *
 * @param client - An ioredis `Redis` or `Cluster`. Closing it twice is harmless.
 * @param options - {@link CloseRedisOptions}.
 * @returns A promise that resolves once the client is closed, at most `timeoutMs` later.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} (synchronously) when
 *   `client` is not an ioredis client or `timeoutMs` is invalid.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { closeRedis, recommendedRedisOptions } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', recommendedRedisOptions);
 * process.once('SIGTERM', () => {
 *   void closeRedis(client, { timeoutMs: 1_000 });
 * });
 * ```
 */
export function closeRedis(client: RedisClient, options?: CloseRedisOptions): Promise<void> {
  if (!isRedisClient(client)) {
    throw invalidArgument(
      WHERE,
      'client',
      'must be an ioredis client (new Redis(…) or new Cluster(…))',
      client,
    );
  }
  const timeoutMs = readDuration(WHERE, readOptions(WHERE, options), 'timeoutMs', 2_000);
  return close(client, timeoutMs);
}

async function close(client: RedisClient, timeoutMs: number): Promise<void> {
  const startedAt = performance.now();
  const left = (): number => timeoutMs - (performance.now() - startedAt);
  try {
    if (client.status === 'end') return;
    if (client.status === 'ready' && (await quit(client, timeoutMs)) === 'OK') {
      await ended(client, left());
      if (isFullyClosed(client)) return;
    }
    const sockets = socketsOf(client);
    client.disconnect();
    destroySockets(sockets);
    finishStuckClose(client);
    await ended(client, left());
  } catch {
    // A client in a state ioredis did not expect: cut whatever is left, never reject.
    try {
      destroySockets(socketsOf(client));
    } catch {
      // Nothing more can be done.
    }
  }
}
