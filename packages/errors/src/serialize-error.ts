import { types } from 'node:util';
import { isRampartError } from './brand.ts';
import { describeValue } from './describe-value.ts';
import {
  createBudget,
  defaultJsonSafeLimits,
  isUnsafeKey,
  type JsonSafeBudget,
  toJsonSafe,
  truncate,
} from './internal/json-safe.ts';
import type { JsonObject, JsonValue } from './json.ts';

/**
 * The JSON form of an error, as {@link serializeError} writes it and
 * {@link deserializeError} reads it. Own properties beyond these (`issues`,
 * `retryAfterMs`, a Node error's `errno`, …) are kept as extra members.
 */
export interface SerializedError {
  /** `true` for Rampart errors; absent for foreign errors. */
  rampart?: true;
  name: string;
  message: string;
  /** A Rampart code, or a foreign error's own `code` (`ECONNRESET`; a number for a few libraries). */
  code?: string | number;
  status?: number;
  retryable?: boolean;
  expose?: boolean;
  details?: JsonObject;
  context?: JsonObject;
  stack?: string;
  /** The cause: a serialized error, or the JSON form of a non-error cause. */
  cause?: SerializedError | JsonValue;
  /** The errors of an `AggregateError` (or of any error with an `errors` array). */
  errors?: SerializedError[];
  [extra: string]: unknown;
}

/** Options of {@link serializeError}. */
export interface SerializeErrorOptions {
  /**
   * Include stack traces (of the error and its causes).
   * @default `false` — stacks are large and reveal file paths; ask for them when logging
   * or sending errors between your own processes.
   */
  readonly stack?: boolean;
}

/** How deep a cause chain (or nested aggregate) is followed before it is cut. */
export const MAX_CAUSE_DEPTH = 16;
const MAX_AGGREGATE_ERRORS = 100;
/** How many errors one call writes; an error graph that shares nodes cannot blow up. */
const MAX_SERIALIZED_ERRORS = 1_000;

/** What one call shares across the whole graph it serialises. */
interface Walk {
  readonly withStack: boolean;
  readonly seen: Set<object>;
  errorsLeft: number;
  readonly budget: JsonSafeBudget;
}

/** Members every serialized error may have; never copied as extras. */
const ERROR_KEYS = new Set(['rampart', 'name', 'message', 'stack', 'cause', 'errors']);
/** Members a Rampart error writes itself; on foreign errors they are ordinary extras. */
const RAMPART_KEYS = new Set(['code', 'status', 'retryable', 'expose', 'details', 'context']);

/**
 * Converts any error (or thrown value) into plain JSON that {@link deserializeError} turns
 * back into an equivalent error in another process: the class (by code), message, public
 * `details`, internal `context`, extra own properties, the whole `cause` chain and the
 * `errors` of aggregates. Cycles and depth are bounded; it never throws.
 *
 * It keeps internal context: send it between your own processes or to your logs, and
 * send {@link toProblem} to clients.
 *
 * @example
 * ```ts
 * import { serializeError, deserializeError, TimeoutError } from '@rampart/errors';
 *
 * const wire = JSON.stringify(serializeError(new TimeoutError('slow upstream'), { stack: true }));
 * const revived = deserializeError(JSON.parse(wire)); // a TimeoutError again
 * ```
 */
export function serializeError(
  error: unknown,
  options: SerializeErrorOptions = {},
): SerializedError {
  const walk: Walk = {
    withStack: options.stack === true,
    seen: new Set(),
    errorsLeft: MAX_SERIALIZED_ERRORS,
    budget: createBudget(),
  };
  return serializeAt(error, 0, walk);
}

function serializeAt(error: unknown, depth: number, walk: Walk): SerializedError {
  const { seen, budget } = walk;
  try {
    if (!isErrorLike(error)) return serializeNonError(error, budget);
    walk.errorsLeft--;
    seen.add(error);
    const result: SerializedError = {
      name: readString(error, 'name') ?? 'Error',
      message: readString(error, 'message') ?? '',
    };
    const rampart = isRampartError(error);
    if (rampart) {
      result.rampart = true;
      result.code = error.code;
      result.status = error.status;
      result.retryable = error.retryable;
      result.expose = error.expose;
      copyObject(result, 'details', error.details, budget);
      copyObject(result, 'context', error.context, budget);
    }
    if (walk.withStack) {
      const stack = readString(error, 'stack');
      if (stack !== undefined) result.stack = stack;
    }
    copyExtras(result, error, rampart, budget);
    const cause = read(error, 'cause');
    if (cause !== undefined) result.cause = serializeCause(cause, depth, walk);
    const errors = read(error, 'errors');
    if (Array.isArray(errors)) {
      result.errors = errors
        .slice(0, MAX_AGGREGATE_ERRORS)
        .map((item: unknown) => serializeNested(item, depth, walk));
    }
    seen.delete(error);
    return result;
  } catch {
    return { name: 'Error', message: 'The error could not be serialized' };
  }
}

function serializeCause(cause: unknown, depth: number, walk: Walk): SerializedError | JsonValue {
  if (!isErrorLike(cause))
    return toJsonSafe(cause, defaultJsonSafeLimits, { budget: walk.budget }) ?? null;
  return serializeNested(cause, depth, walk);
}

function serializeNested(error: unknown, depth: number, walk: Walk): SerializedError {
  if (typeof error === 'object' && error !== null && walk.seen.has(error)) {
    return { name: 'Error', message: '[Circular]' };
  }
  if (depth + 1 >= MAX_CAUSE_DEPTH || walk.errorsLeft <= 0) {
    return { name: 'Error', message: '[Truncated]' };
  }
  return serializeAt(error, depth + 1, walk);
}

function serializeNonError(value: unknown, budget: JsonSafeBudget): SerializedError {
  const result: SerializedError = {
    name: 'Error',
    message:
      typeof value === 'string'
        ? truncate(value, defaultJsonSafeLimits.maxStringLength)
        : describeValue(value),
  };
  if (typeof value !== 'string' && value !== undefined) {
    result.value = toJsonSafe(value, defaultJsonSafeLimits, { budget }) ?? null;
  }
  return result;
}

function copyObject(
  target: SerializedError,
  key: 'details' | 'context',
  value: unknown,
  budget: JsonSafeBudget,
): void {
  const safe = toJsonSafe(value, defaultJsonSafeLimits, { budget });
  if (
    typeof safe === 'object' &&
    safe !== null &&
    !Array.isArray(safe) &&
    Object.keys(safe).length > 0
  ) {
    target[key] = safe;
  }
}

function copyExtras(
  target: SerializedError,
  error: object,
  rampart: boolean,
  budget: JsonSafeBudget,
): void {
  for (const key of Object.keys(error)) {
    if (ERROR_KEYS.has(key) || isUnsafeKey(key) || (rampart && RAMPART_KEYS.has(key))) continue;
    const value = toJsonSafe(read(error, key), defaultJsonSafeLimits, { budget });
    if (value !== undefined) target[key] = value;
  }
}

/** Errors from any realm, including Node's internal ones and DOMExceptions. */
export function isErrorLike(value: unknown): value is Error {
  return value instanceof Error || types.isNativeError(value) || isRampartError(value);
}

function read(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readString(value: object, key: string): string | undefined {
  const member = read(value, key);
  return typeof member === 'string' ? member : undefined;
}
