import {
  type Clock,
  invalidArgument,
  isDurationMs,
  optionMessages,
  systemClock,
} from '@rampart/errors';
import type { Logger as PinoLogger } from 'pino';
import { publishSlowOperation } from './channels.ts';
import { loggerNameOf } from './internal/logger-state.ts';

/** Options of {@link timed}. */
export interface TimedOptions {
  /**
   * Above this duration (in milliseconds) the operation is logged at `warn` instead of `debug`.
   * @default `1000` — a second is slow for anything on a request path.
   */
  readonly slowMs?: number;
  /**
   * Passed on to `fn`; when it aborts first, `timed` stops waiting and rejects with its reason.
   * @default a signal that never aborts — `fn` runs to completion.
   */
  readonly signal?: AbortSignal;
  /**
   * Measures the duration.
   * @default {@link @rampart/errors!systemClock | systemClock} — the one clock every Rampart
   *   package reads, so an injected or faked clock moves every duration alike.
   */
  readonly clock?: Clock;
}

const DEFAULT_SLOW_MS = 1_000;
const neverAborted = new AbortController().signal;

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}

function waitOrAbort<T>(value: T | PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal === neverAborted) return Promise.resolve(value);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(value).then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs `fn`, logs how long it took at `debug`, and at `warn` when it was slower than
 * `slowMs` (also publishing `rampart:logger:slow-operation`). Failures are timed too
 * (`failed: true`) and rethrown unchanged. Lines carry the active log context.
 *
 * @returns what `fn` resolves to.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when an argument is invalid (before `fn` runs).
 *
 * @example
 * ```ts
 * import { createLogger, timed } from '@rampart/logger';
 *
 * const logger = createLogger();
 * const rows = await timed(logger, 'db.query users', (signal) => db.query(sql, { signal }), {
 *   slowMs: 200,
 * });
 * // slower than 200 ms: {"level":40,"operation":"db.query users","durationMs":342.5,"slowMs":200,…}
 * ```
 */
export async function timed<T>(
  logger: PinoLogger,
  name: string,
  fn: (signal: AbortSignal) => T | PromiseLike<T>,
  options: TimedOptions = {},
): Promise<T> {
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw invalidArgument('timed', 'logger', 'must be a pino logger', logger);
  }
  if (typeof name !== 'string' || name === '') {
    throw invalidArgument('timed', 'name', 'must be a non-empty string', name);
  }
  if (typeof fn !== 'function') throw invalidArgument('timed', 'fn', 'must be a function', fn);
  const slowMs = options.slowMs ?? DEFAULT_SLOW_MS;
  if (!isDurationMs(slowMs, 0)) {
    throw invalidArgument('timed', 'slowMs', optionMessages.nonNegativeDurationMs, slowMs);
  }
  const signal = options.signal ?? neverAborted;
  if (!(signal instanceof AbortSignal)) {
    throw invalidArgument('timed', 'signal', 'must be an AbortSignal', signal);
  }
  const clock = options.clock ?? systemClock;
  signal.throwIfAborted();

  const started = clock.now();
  let failed = false;
  try {
    return await waitOrAbort(fn(signal), signal);
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    const durationMs = round(clock.now() - started);
    const slow = durationMs > slowMs;
    const fields = failed
      ? { operation: name, durationMs, slowMs, failed: true }
      : { operation: name, durationMs, slowMs };
    if (slow) {
      logger.warn(fields, `${name} took ${durationMs} ms, slower than ${slowMs} ms`);
      publishSlowOperation({
        name: loggerNameOf(logger),
        operation: name,
        durationMs,
        slowMs,
        failed,
      });
    } else {
      logger.debug(fields, `${name} took ${durationMs} ms`);
    }
  }
}
