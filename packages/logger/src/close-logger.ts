import { invalidArgument, isDurationMs, optionMessages } from '@rampart/errors';
import pino, { type Logger as PinoLogger } from 'pino';
import { publishClose } from './channels.ts';
import { type LoggerState, stateOf } from './internal/logger-state.ts';

/** Options of {@link closeLogger}. */
export interface CloseLoggerOptions {
  /**
   * The longest `closeLogger` waits for destinations to flush. When it runs out, it
   * resolves anyway (reporting what is still pending) and nothing it opened keeps the
   * process alive.
   * @default `5000` — well inside the usual 10–30 s grace period between SIGTERM and SIGKILL.
   */
  readonly timeoutMs?: number;
  /** Stops waiting early, like the timeout, when it aborts. */
  readonly signal?: AbortSignal;
}

/** How {@link closeLogger} went. */
export interface CloseLoggerResult {
  /** `true` when every destination flushed and closed in time, without error. */
  readonly complete: boolean;
  /** Destinations still flushing when the timeout fired or the signal aborted. */
  readonly pending: number;
  /** Errors destinations reported while flushing or closing. */
  readonly errors: readonly unknown[];
}

const DEFAULT_TIMEOUT_MS = 5_000;

/** Where a closed logger's lines go: nowhere, instead of throwing from a closed stream. */
const closedSink = { write: (): void => {} };

function setStream(logger: PinoLogger, stream: object): void {
  (logger as unknown as Record<symbol, unknown>)[pino.symbols.streamSym] = stream;
}

async function closeState(
  state: LoggerState,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<CloseLoggerResult> {
  const started = performance.now();
  // What writes lines of its own (logEvents' pending summaries) writes them now, while it can.
  for (const hook of [...state.closeHooks]) {
    try {
      hook();
    } catch {
      // A hook must not keep the logger from closing.
    }
  }
  state.closeHooks.clear();
  // Lines logged from now on are dropped: the destinations below are being closed.
  setStream(state.root, closedSink);
  const errors: unknown[] = [];
  const settled = new Set<number>();
  const closing = state.destinations.map((destination, index) =>
    Promise.resolve()
      .then(() => destination.close())
      .catch((error: unknown) => {
        errors.push(error);
      })
      .finally(() => {
        settled.add(index);
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stop = new Promise<void>((resolve) => {
    // Deliberately not unref()ed: worker-thread transports are unref()ed by pino, so while
    // they flush this bounded timer is what keeps the process alive long enough to let them.
    timer = setTimeout(resolve, timeoutMs);
    if (signal !== undefined) {
      onAbort = resolve;
      if (signal.aborted) resolve();
      else signal.addEventListener('abort', onAbort, { once: true });
    }
  });
  try {
    await Promise.race([Promise.all(closing), stop]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
  const pending = state.destinations.length - settled.size;
  state.destinations.forEach((destination, index) => {
    if (!settled.has(index)) destination.abandon();
  });
  const outcome: CloseLoggerResult = {
    complete: pending === 0 && errors.length === 0,
    pending,
    errors: [...errors],
  };
  publishClose({
    name: state.name,
    complete: outcome.complete,
    pending,
    durationMs: performance.now() - started,
  });
  return outcome;
}

/** A pino logger not made by `createLogger`: flush its stream, within the time allowed. */
async function flushForeign(
  logger: PinoLogger,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<CloseLoggerResult> {
  let timer: NodeJS.Timeout | undefined;
  const flushed = new Promise<CloseLoggerResult>((resolve) => {
    try {
      logger.flush((error) => {
        resolve({ complete: error == null, pending: 0, errors: error == null ? [] : [error] });
      });
    } catch (error) {
      resolve({ complete: false, pending: 0, errors: [error] });
    }
  });
  const stopped = new Promise<CloseLoggerResult>((resolve) => {
    const give = (): void => resolve({ complete: false, pending: 1, errors: [] });
    timer = setTimeout(give, timeoutMs); // bounded and cleared: keeps the process up while flushing
    signal?.addEventListener('abort', give, { once: true });
    if (signal?.aborted === true) give();
  });
  try {
    return await Promise.race([flushed, stopped]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Flushes and closes every destination of a logger made by `createLogger` — stdout,
 * files, and worker-thread transports such as `pino-pretty` — and resolves when they are
 * done, or after `timeoutMs` at the latest, never later. Afterwards nothing it opened keeps
 * the process alive, and lines logged through the logger (or any of its children) are
 * dropped. Calling it again returns the same result. Closing a child closes its root.
 *
 * It never rejects: the result says whether everything was written. Streams you passed as
 * `{ stream }` are flushed but left open. A plain pino logger is only flushed.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `logger` is not a pino logger or an option is invalid.
 *
 * @example
 * ```ts
 * import { closeLogger, createLogger } from '@rampart/logger';
 *
 * const logger = createLogger({ destination: { file: 'logs/app.log', rotate: true } });
 *
 * process.once('SIGTERM', async () => {
 *   await new Promise((resolve) => server.close(resolve));
 *   const { complete } = await closeLogger(logger, { timeoutMs: 3_000 });
 *   if (!complete) console.error('some log lines may be lost');
 *   // nothing is left running: the process exits on its own
 * });
 * ```
 */
export function closeLogger(
  logger: PinoLogger,
  options: CloseLoggerOptions = {},
): Promise<CloseLoggerResult> {
  if (typeof logger !== 'object' || logger === null || typeof logger.flush !== 'function') {
    throw invalidArgument('closeLogger', 'logger', 'must be a pino logger', logger);
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!isDurationMs(timeoutMs, 0)) {
    throw invalidArgument(
      'closeLogger',
      'timeoutMs',
      optionMessages.nonNegativeDurationMs,
      timeoutMs,
    );
  }
  const { signal } = options;
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw invalidArgument('closeLogger', 'signal', 'must be an AbortSignal', signal);
  }
  const state = stateOf(logger);
  if (state === undefined) return flushForeign(logger, timeoutMs, signal);
  state.closing ??= closeState(state, timeoutMs, signal);
  return state.closing;
}
