import { invalidArgument } from '@rampart/errors';
import { contextStorage, createFrame } from './internal/context-storage.ts';

/** Fields added to every log line written inside a {@link withLogContext} scope. */
export type LogBindings = Readonly<Record<string, unknown>>;

const EMPTY_BINDINGS: LogBindings = Object.freeze({});

/**
 * Runs `fn` inside a log context: every line written while it runs — by any logger made
 * with `createLogger`, at any async depth (timers, promises, streams, event handlers set
 * up inside it) — carries `bindings`, without passing a child logger around. Nested calls
 * add to (and override) the outer bindings; concurrent scopes never see each other's.
 *
 * A field given to a log call or to a child logger wins over a context field of the same name.
 *
 * @returns what `fn` returns (its promise, when it is async).
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `bindings` is not an object or `fn` not a function.
 *
 * @example
 * ```ts
 * import { createLogger, withLogContext } from '@rampart/logger';
 *
 * const logger = createLogger({ name: 'worker' });
 *
 * await withLogContext({ jobId: job.id, tenant: job.tenant }, async () => {
 *   logger.info('job started'); // {"jobId":"…","tenant":"…","msg":"job started",…}
 *   await processJob(job); // its logs carry jobId and tenant too
 * });
 * ```
 */
export function withLogContext<T>(bindings: LogBindings, fn: () => T): T {
  if (typeof bindings !== 'object' || bindings === null || Array.isArray(bindings)) {
    throw invalidArgument('withLogContext', 'bindings', 'must be an object', bindings);
  }
  if (typeof fn !== 'function') {
    throw invalidArgument('withLogContext', 'fn', 'must be a function', fn);
  }
  const parent = contextStorage.getStore();
  const merged = Object.freeze(
    parent === undefined ? { ...bindings } : { ...parent.bindings, ...bindings },
  );
  return contextStorage.run(createFrame(merged), fn);
}

/**
 * The bindings of the log context the caller runs in (merged over every enclosing
 * {@link withLogContext}), or an empty object outside any context. The object is frozen.
 *
 * @example
 * ```ts
 * import { getLogContext } from '@rampart/logger';
 *
 * const { requestId } = getLogContext(); // inside a request handled by httpRequestLogger
 * await fetch(upstreamUrl, { headers: { 'x-request-id': String(requestId) } });
 * ```
 */
export function getLogContext(): LogBindings {
  return contextStorage.getStore()?.bindings ?? EMPTY_BINDINGS;
}
