import { type JsonObject, type SerializedError, serializeError } from '@rampart/errors';
import { createRedactor, type Redactor } from './internal/redaction/redactor.ts';
import { sensitiveKeySet } from './internal/redaction/sensitive-keys.ts';
import { defaultRedactedKeys, REDACTED } from './redaction.ts';

/** An error as a log line's `err` field holds it. */
export interface SerializedLogError {
  /** The error's name (`TimeoutError`, `TypeError`). */
  type: string;
  message: string;
  /** A Rampart code (`E_TIMEOUT`) or a foreign error's own code (`ECONNRESET`). */
  code?: string | number;
  /** The HTTP status of a Rampart error (or a foreign error's own `status`). */
  status?: number;
  /** Whether a Rampart error says the operation may be retried. */
  retryable?: boolean;
  /** A Rampart error's public details. */
  details?: JsonObject;
  /** A Rampart error's internal context: only with `context: true`. */
  context?: JsonObject;
  stack?: string;
  /** The cause: a {@link SerializedLogError}, or the JSON form of a non-error cause. */
  cause?: unknown;
  /** The errors of an `AggregateError` (or of any error with an `errors` array). */
  errors?: SerializedLogError[];
  /** Other own properties of the error (`errno`, `syscall`, `issues`, …), redacted. */
  [extra: string]: unknown;
}

/** Options of {@link createErrorSerializer}. */
export interface ErrorSerializerOptions {
  /**
   * Write the internal `context` of Rampart errors (and of their causes).
   * @default `false` — context holds internal data (ids, queries, upstream answers) that a log
   *   pipeline shared with many people should not get unless you decide so.
   */
  readonly context?: boolean;
  /**
   * Write stack traces (of the error, its causes and aggregated errors).
   * @default `true` — a log is where stacks are needed.
   */
  readonly stack?: boolean;
}

/** Members of a serialized error that are written in a fixed place, never as extras. */
const KNOWN_KEYS = new Set([
  'rampart',
  'name',
  'message',
  'code',
  'status',
  'retryable',
  'expose',
  'details',
  'context',
  'stack',
  'cause',
  'errors',
]);

function isSerializedError(value: unknown): value is SerializedError {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { name?: unknown }).name === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

function reshape(
  error: SerializedError,
  redactor: Redactor,
  withContext: boolean,
): SerializedLogError {
  const result: SerializedLogError = { type: error.name, message: error.message };
  if (error.code !== undefined) result.code = error.code;
  if (typeof error.status === 'number') result.status = error.status;
  if (typeof error.retryable === 'boolean') result.retryable = error.retryable;
  if (error.details !== undefined)
    result.details = redactor.redactDeep(error.details) as JsonObject;
  if (withContext && error.context !== undefined) {
    result.context = redactor.redactDeep(error.context) as JsonObject;
  }
  for (const key of Object.keys(error)) {
    if (KNOWN_KEYS.has(key)) continue;
    result[key] = redactor.isSensitive(key) ? REDACTED : redactor.redactDeep(error[key]);
  }
  if (error.stack !== undefined) result.stack = error.stack;
  if (error.cause !== undefined) {
    result.cause = isSerializedError(error.cause)
      ? reshape(error.cause, redactor, withContext)
      : redactor.redactDeep(error.cause);
  }
  if (error.errors !== undefined) {
    result.errors = error.errors.map((item) => reshape(item, redactor, withContext));
  }
  return result;
}

/** The serializer `createLogger` installs, redacting with the logger's own sensitive keys. */
export function errorSerializerWith(
  redactor: Redactor,
  options: ErrorSerializerOptions = {},
): (error: unknown) => SerializedLogError {
  const withStack = options.stack !== false;
  const withContext = options.context === true;
  return (error) => reshape(serializeError(error, { stack: withStack }), redactor, withContext);
}

/**
 * Creates a pino serializer for errors: `type`, `message`, `code`, `status`, `retryable`,
 * `details`, the error's other own properties, the stack, the whole `cause` chain and the
 * `errors` of aggregates (bounded in depth and size, safe on cycles and hostile getters).
 * Sensitive keys are redacted at every depth; the internal `context` of Rampart errors is
 * left out unless `context: true`.
 *
 * @example
 * ```ts
 * import { createErrorSerializer, createLogger } from '@rampart/logger';
 *
 * // An internal service whose logs may hold Rampart error context:
 * const logger = createLogger({
 *   serializers: { err: createErrorSerializer({ context: true }) },
 * });
 * ```
 */
export function createErrorSerializer(
  options: ErrorSerializerOptions = {},
): (error: unknown) => SerializedLogError {
  return errorSerializerWith(createRedactor(sensitiveKeySet(defaultRedactedKeys)), options);
}

/**
 * The error serializer every logger made by `createLogger` uses for `err` and `error`
 * fields: codes, status, details, causes, aggregated errors and stacks, never the internal
 * `context` of a Rampart error. Use it with a plain pino logger too.
 *
 * @example
 * ```ts
 * import pino from 'pino';
 * import { errorSerializer } from '@rampart/logger';
 *
 * const logger = pino({ serializers: { err: errorSerializer } });
 * logger.error({ err: new Error('upstream failed', { cause: socketError }) }, 'sync failed');
 * ```
 */
export const errorSerializer: (error: unknown) => SerializedLogError = createErrorSerializer();
