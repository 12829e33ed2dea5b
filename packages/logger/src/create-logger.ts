import { type Clock, ConfigurationError, parseOptions, systemClock } from '@rampart/errors';
import pino, { type Logger as PinoLogger, type LoggerOptions as PinoLoggerOptions } from 'pino';
import { closeLogger } from './close-logger.ts';
import type { LogDestination } from './destinations.ts';
import { errorSerializerWith } from './error-serializer.ts';
import { createBindingsSerializer } from './internal/bindings-serializer.ts';
import { contextStorage, fragmentOf } from './internal/context-storage.ts';
import { combineDestinations } from './internal/fan-out.ts';
import { isoTimeFragment } from './internal/iso-time.ts';
import { attachState, type LoggerState, trackChild } from './internal/logger-state.ts';
import { openDestinations } from './internal/open-destinations.ts';
import { BARE_KEY_PATTERN, loggerOptionsSchema } from './internal/options-schema.ts';
import { createRedactor, type Redactor } from './internal/redaction/redactor.ts';
import { sensitiveKeySet } from './internal/redaction/sensitive-keys.ts';
import { BUILT_IN_SERIALIZED_KEYS, buildSerializers } from './internal/serializers.ts';
import { isLogLevel, LEVEL_EXPECTATION, type LogLevel } from './levels.ts';
import { defaultRedactedKeys, REDACTED } from './redaction.ts';

/**
 * A pino logger made by {@link createLogger}: every pino method and type, plus
 * `[Symbol.asyncDispose]` so `await using` closes it (see {@link closeLogger}).
 */
export type Logger = PinoLogger & AsyncDisposable;

/** Options of {@link createLogger}. Every field is optional. */
export interface LoggerOptions {
  /**
   * Written as `name` on every line and used as `name` in this package's events.
   * @default none — no `name` field; events say `default`.
   */
  readonly name?: string;
  /**
   * The lowest level written. Change it later with `setLevel`.
   * @default the `LOG_LEVEL` environment variable, else `info` — operators can turn on
   *   debug logs without a code change.
   */
  readonly level?: LogLevel;
  /**
   * More to redact, added to {@link defaultRedactedKeys}. A bare key (`ssn`,
   * `x-tenant-token`) is redacted wherever the defaults are (top level, one level down,
   * `headers` objects) in all its usual spellings; a path (`user.email`,
   * `payment.cards[*].number`) uses pino's redaction syntax. Paths starting with `*` are
   * checked on every field of every line: prefer bare keys.
   * @default `[]` — the defaults alone.
   */
  readonly redact?: readonly string[];
  /**
   * Where lines go: one destination or an array (each line goes to every destination
   * whose `level` it reaches).
   * @default `'stdout'` — JSON lines on standard output, what containers and log shippers expect.
   */
  readonly destination?: LogDestination | readonly LogDestination[];
  /**
   * Fields written on every line; `null` writes none.
   * @default `{ pid, hostname }` — pino's default, which tells instances apart.
   */
  readonly base?: Readonly<Record<string, unknown>> | null;
  /**
   * More pino serializers by field name; they replace the built-in ones for the same name
   * (`err` and `error`: {@link errorSerializer}; `req` and `res`: allow-listed fields).
   * Their output is redacted like the rest of the line.
   * @default the built-in ones — errors, requests and responses written safely.
   */
  readonly serializers?: Readonly<Record<string, (value: unknown) => unknown>>;
  /**
   * Where timestamps come from.
   * @default {@link @rampart/errors!systemClock | systemClock} — wall-clock time, as log
   *   timestamps must be, read at each call so fake timers installed later move it.
   */
  readonly clock?: Clock;
}

function levelFromEnvironment(): LogLevel {
  const raw = process.env.LOG_LEVEL;
  if (raw === undefined || raw.trim() === '') return 'info';
  const level = raw.trim().toLowerCase();
  if (isLogLevel(level)) return level;
  throw new ConfigurationError(
    `createLogger: the LOG_LEVEL environment variable ${LEVEL_EXPECTATION} (got ${JSON.stringify(raw)})`,
    { issues: [{ path: 'LOG_LEVEL', message: LEVEL_EXPECTATION, code: 'invalid_value' }] },
  );
}

/** Redacts child bindings too: pino writes them without its bindings formatter. */
function redactChildBindings(root: PinoLogger, redactor: Redactor): void {
  const pinoChild = root.child;
  const pinoSetBindings = root.setBindings;
  const redactBindings = (bindings: unknown): unknown =>
    typeof bindings === 'object' && bindings !== null && !Array.isArray(bindings)
      ? redactor.redactObject(bindings as Record<string, unknown>)
      : bindings;
  Object.defineProperty(root, 'child', {
    configurable: true,
    writable: true,
    value: function child(this: PinoLogger, bindings: unknown, options?: unknown) {
      return Reflect.apply(pinoChild, this, [redactBindings(bindings), options]);
    },
  });
  Object.defineProperty(root, 'setBindings', {
    configurable: true,
    writable: true,
    value: function setBindings(this: PinoLogger, bindings: unknown) {
      Reflect.apply(pinoSetBindings, this, [redactBindings(bindings)]);
    },
  });
}

/**
 * Creates a pino logger with request context, secure defaults and clean shutdown: JSON
 * lines with ISO timestamps; the fields of the active {@link withLogContext} scope on
 * every line; credentials redacted ({@link defaultRedactedKeys} plus `redact`); errors
 * with codes, causes and stacks ({@link errorSerializer}); requests with an allow-list of
 * headers; console, pretty, rotating-file or stream destinations that
 * {@link closeLogger} flushes. Child loggers keep all of it, and `setLevel` reaches them.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid (naming it), when `LOG_LEVEL`
 *   is not a level, when a log file cannot be opened, or when `'pretty'` is asked for
 *   without `pino-pretty` installed.
 *
 * @example
 * ```ts
 * import { closeLogger, createLogger } from '@rampart/logger';
 *
 * const logger = createLogger({
 *   name: 'api',
 *   destination: ['stdout', { file: 'logs/api.log', rotate: { size: '10m', count: 5 } }],
 *   redact: ['ssn'],
 * });
 *
 * logger.info({ user: { id: 42, password: 'hunter2' } }, 'signed in'); // password: "[Redacted]"
 *
 * process.once('SIGTERM', async () => {
 *   await closeLogger(logger, { timeoutMs: 3_000 });
 * });
 * ```
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const parsed = parseOptions(loggerOptionsSchema, options, 'createLogger');
  const level = parsed.level ?? levelFromEnvironment();
  const name = parsed.name ?? 'default';
  const redactions = parsed.redact ?? [];
  const keys = redactions.filter((entry) => BARE_KEY_PATTERN.test(entry));
  const paths = redactions.filter((entry) => !BARE_KEY_PATTERN.test(entry));
  // Fields with a serializer are redacted by it (errors, requests) or after it (yours).
  const serializedKeys = new Set([
    ...BUILT_IN_SERIALIZED_KEYS,
    ...Object.keys(parsed.serializers ?? {}),
  ]);
  const redactor = createRedactor(sensitiveKeySet([...defaultRedactedKeys, ...keys]), {
    serializedKeys,
    serializeError: (self) => errorSerializerWith(self),
  });
  const clock: Clock = parsed.clock ?? systemClock;
  const bindingsSerializer = createBindingsSerializer(redactor);

  // pino calls the timestamp function once while it builds the logger: the context must not
  // be serialized (and cached) before the serializer knows the logger's serializers.
  let ready = false;
  const timestamp = (): string => {
    const time = isoTimeFragment(clock.now());
    const frame = contextStorage.getStore();
    return frame === undefined || !ready ? time : time + fragmentOf(frame, bindingsSerializer);
  };

  const destinations = openDestinations(
    parsed.destination ?? [{ kind: 'stdout', level: undefined }],
    {
      name,
      clock,
    },
  );
  const pinoOptions: PinoLoggerOptions = {
    level,
    timestamp,
    serializers: buildSerializers(redactor, parsed.serializers),
    formatters: {
      log: redactor.redactObject,
      bindings: (bindings) => redactor.redactObject(bindings),
    },
    onChild: trackChild,
    ...(parsed.name === undefined ? {} : { name: parsed.name }),
    ...(parsed.base === undefined ? {} : { base: parsed.base }),
    ...(paths.length === 0 ? {} : { redact: { paths, censor: REDACTED } }),
  };

  let logger: PinoLogger;
  try {
    logger = pino(pinoOptions, combineDestinations(destinations, name));
  } catch (cause) {
    for (const destination of destinations) {
      destination.close().catch(() => {});
      destination.abandon();
    }
    const message = cause instanceof Error ? cause.message : String(cause);
    throw new ConfigurationError(`createLogger: pino rejected the options: ${message}`, { cause });
  }
  bindingsSerializer.attach(logger);
  ready = true;
  redactChildBindings(logger, redactor);
  const state: LoggerState = {
    name,
    root: logger,
    destinations,
    closing: undefined,
    closeHooks: new Set(),
  };
  attachState(logger, state);
  Object.defineProperty(logger, Symbol.asyncDispose, {
    configurable: true,
    writable: true,
    value: async function asyncDispose(this: PinoLogger): Promise<void> {
      // Children inherit this method; only the root owns the destinations.
      if (this === logger) await closeLogger(logger);
    },
  });
  return logger as Logger;
}
