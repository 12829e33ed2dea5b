import * as z from 'zod';
import { TimeoutError } from './built-in-errors.ts';
import { normalizeError } from './normalize-error.ts';
import { parseOptions } from './parse-options.ts';
import type { RampartError } from './rampart-error.ts';

/** Extra facts about where an error happened (request id, job name, …). */
export type ReportContext = Readonly<Record<string, unknown>>;

/** Receives every reported error; may be async. Its signal aborts when it runs too long. */
export type ErrorHandler = (
  error: RampartError,
  context: ReportContext,
  options: { readonly signal: AbortSignal },
) => void | Promise<void>;

/** Options of {@link createErrorReporter}. */
export interface ErrorReporterOptions {
  /** Every handler receives every report. */
  readonly handlers: readonly ErrorHandler[];
  /** How long one handler may take before it is given up on. @default 5000 — long enough for a network call, short enough for shutdown */
  readonly timeoutMs?: number;
  /** Told when a handler throws, rejects or times out. @default a process warning */
  readonly onHandlerError?: (
    error: unknown,
    handler: { readonly index: number; readonly name: string },
  ) => void;
}

/** Fans reported errors out to handlers. */
export interface ErrorReporter {
  /**
   * Sends the error (normalized to a Rampart error) to every handler. Resolves when
   * every handler finished, failed or timed out; never rejects and never throws.
   */
  report(error: unknown, context?: ReportContext): Promise<void>;
}

const handlerSchema = z.custom<ErrorHandler>((value) => typeof value === 'function', {
  error: 'must be a function',
});

const optionsSchema = z.strictObject({
  handlers: z.array(handlerSchema),
  timeoutMs: z.int().positive().default(5_000),
  onHandlerError: z
    .custom<NonNullable<ErrorReporterOptions['onHandlerError']>>(
      (value) => typeof value === 'function',
      {
        error: 'must be a function',
      },
    )
    .optional(),
});

/**
 * Creates an error reporter: the one place errors go to be logged, counted and sent to
 * a tracker. A failing or slow handler never stops the others and never throws into the
 * caller.
 *
 * @throws {@link ConfigurationError} when an option is invalid.
 *
 * @example
 * ```ts
 * import { createErrorReporter } from '@rampart/errors';
 *
 * const reporter = createErrorReporter({
 *   handlers: [
 *     (error, context) => logger.error({ err: error, ...context }, error.message),
 *     async (error, _context, { signal }) => {
 *       await fetch(trackerUrl, { method: 'POST', body: JSON.stringify(error), signal });
 *     },
 *   ],
 * });
 *
 * process.on('uncaughtExceptionMonitor', (error) => void reporter.report(error, { fatal: true }));
 * ```
 */
export function createErrorReporter(options: ErrorReporterOptions): ErrorReporter {
  const {
    handlers,
    timeoutMs,
    onHandlerError = warn,
  } = parseOptions(optionsSchema, options, 'createErrorReporter');
  const fail = (error: unknown, index: number): void => {
    try {
      onHandlerError(error, { index, name: handlers[index]?.name || `handler #${index}` });
    } catch {
      // The failure callback itself failed: there is nobody left to tell.
    }
  };
  return {
    async report(error, context = {}) {
      const normalized = normalizeError(error);
      await Promise.all(
        handlers.map((handler, index) =>
          runHandler(handler, normalized, context, timeoutMs).catch((failure: unknown) =>
            fail(failure, index),
          ),
        ),
      );
    },
  };
}

async function runHandler(
  handler: ErrorHandler,
  error: RampartError,
  context: ReportContext,
  timeoutMs: number,
): Promise<void> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      const reason = new TimeoutError(`error handler took longer than ${timeoutMs} ms`);
      controller.abort(reason);
      reject(reason);
    }, timeoutMs); // not unref()ed: report() awaits it, so a hung handler still ends
  });
  try {
    await Promise.race([handler(error, context, { signal: controller.signal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function warn(error: unknown, handler: { readonly name: string }): void {
  const message = error instanceof Error ? error.message : String(error);
  process.emitWarning(`error handler ${handler.name} failed: ${message}`, {
    code: 'RAMPART_ERROR_HANDLER_FAILED',
  });
}
