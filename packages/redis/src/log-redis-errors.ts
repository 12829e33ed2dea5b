import { invalidArgument } from '@rampart/errors';
import { isRedisClient, type RedisClient } from './client.ts';
import { readDuration, readOptions } from './internal/timeout-option.ts';

/** The fields of one line written by {@link logRedisErrors}. */
export interface RedisErrorLogFields {
  /** What happened: the first error, a summary of the errors since, or the recovery. */
  readonly event: 'redis-error' | 'redis-errors-summary' | 'redis-recovered';
  /** Errors seen since the last line (1 for the first error). */
  readonly errors: number;
  /** The latest error's message and code (none on the recovery line). */
  readonly error?: { readonly message: string; readonly code?: string | undefined } | undefined;
}

/** A function that writes one line. */
export type RedisErrorLogFunction = (
  level: 'warn' | 'info',
  message: string,
  fields: RedisErrorLogFields,
) => void;

/** A pino-like logger: `warn` and `info` take the fields first, then the message. */
export interface RedisErrorLogger {
  warn(fields: RedisErrorLogFields, message: string): void;
  info(fields: RedisErrorLogFields, message: string): void;
}

/** Options of {@link logRedisErrors}. */
export interface LogRedisErrorsOptions {
  /** Where the lines go: a pino (or pino-like) logger, or a function. */
  readonly log: RedisErrorLogger | RedisErrorLogFunction;
  /**
   * How often, at most, a summary line is written while errors go on, in milliseconds.
   * @defaultValue 30000: an outage shows up twice a minute, however fast the client retries.
   */
  readonly intervalMs?: number | undefined;
}

/** What {@link logRedisErrors} returns: stops the logging. */
export interface RedisErrorLog {
  /** Removes the listeners and the timer; lines already due are not written. */
  close(): Promise<void>;
  /** Same as {@link RedisErrorLog.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}

const WHERE = 'logRedisErrors';

function describe(error: unknown): { message: string; code?: string | undefined } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? { message: error.message, code } : { message: error.message };
  }
  return { message: String(error) };
}

function writerOf(log: unknown): RedisErrorLogFunction {
  if (typeof log === 'function') return log as RedisErrorLogFunction;
  if (
    typeof log === 'object' &&
    log !== null &&
    typeof (log as RedisErrorLogger).warn === 'function' &&
    typeof (log as RedisErrorLogger).info === 'function'
  ) {
    const logger = log as RedisErrorLogger;
    return (level, message, fields) => logger[level](fields, message);
  }
  throw invalidArgument(
    WHERE,
    'options.log',
    'must be a logger with warn and info methods, or a function',
    log,
  );
}

/**
 * Logs a client's connection errors without flooding the log: the first error, then one
 * summary per `intervalMs` with the count while errors go on, then one line when the client
 * is `ready` again.
 *
 * @remarks
 * ioredis emits an `error` on every failed reconnect attempt (several a second while Redis
 * is down); without a listener it prints each one to the console. This listener turns an
 * outage into a handful of lines. It is logger-agnostic: give it a pino logger or a
 * function. The summary timer is `unref()`ed, so it never keeps the process alive.
 *
 * @param client - An ioredis `Redis` or `Cluster`.
 * @param options - {@link LogRedisErrorsOptions}.
 * @returns A handle whose `close()` removes the listeners.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `client` is not an
 *   ioredis client or an option is invalid.
 * @example
 * ```ts
 * import { Redis } from 'ioredis';
 * import { logRedisErrors, recommendedRedisOptions } from '@rampart/redis';
 *
 * const client = new Redis(process.env.REDIS_URL ?? 'redis://localhost:6379', recommendedRedisOptions);
 * logRedisErrors(client, {
 *   log: (level, message, fields) => console[level](message, fields),
 *   intervalMs: 60_000,
 * });
 * ```
 */
export function logRedisErrors(client: RedisClient, options: LogRedisErrorsOptions): RedisErrorLog {
  if (!isRedisClient(client)) {
    throw invalidArgument(
      WHERE,
      'client',
      'must be an ioredis client (new Redis(…) or new Cluster(…))',
      client,
    );
  }
  const read = readOptions(WHERE, options);
  const write = writerOf((read as { log?: unknown } | undefined)?.log);
  const intervalMs = readDuration(WHERE, read, 'intervalMs', 30_000);

  /** Whether an error was logged since the client was last ready. */
  let failing = false;
  /** Errors since the last line, and the latest of them. */
  let unreported = 0;
  let latest: { message: string; code?: string | undefined } | undefined;
  /** Errors since the client was last ready. */
  let total = 0;
  let timer: NodeJS.Timeout | undefined;

  const summarize = (): void => {
    timer = undefined;
    if (unreported === 0) return;
    write('warn', `Redis: ${unreported} more connection errors in the last ${intervalMs} ms`, {
      event: 'redis-errors-summary',
      errors: unreported,
      error: latest,
    });
    unreported = 0;
    schedule();
  };
  const schedule = (): void => {
    timer = setTimeout(summarize, intervalMs);
    timer.unref();
  };

  const onError = (error: unknown): void => {
    total += 1;
    latest = describe(error);
    if (!failing) {
      failing = true;
      write('warn', `Redis: connection error: ${latest.message}`, {
        event: 'redis-error',
        errors: 1,
        error: latest,
      });
      schedule();
      return;
    }
    unreported += 1;
    if (timer === undefined) schedule();
  };
  const onReady = (): void => {
    if (!failing) return;
    clearTimeout(timer);
    timer = undefined;
    write('info', `Redis: connection recovered after ${total} errors`, {
      event: 'redis-recovered',
      errors: total,
    });
    failing = false;
    unreported = 0;
    total = 0;
    latest = undefined;
  };

  client.on('error', onError);
  client.on('ready', onReady);
  const close = (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    client.off('error', onError);
    client.off('ready', onReady);
    return Promise.resolve();
  };
  return { close, [Symbol.asyncDispose]: close };
}
