import { InternalError } from './built-in-errors.ts';
import {
  createBudget,
  defaultJsonSafeLimits,
  isUnsafeKey,
  type JsonSafeBudget,
  toJsonSafe,
  truncate,
} from './internal/json-safe.ts';
import { reviveClassFields } from './internal/revive-fields.ts';
import type { JsonObject } from './json.ts';
import { RampartError } from './rampart-error.ts';
import { errorRegistry } from './registry.ts';
import { MAX_CAUSE_DEPTH } from './serialize-error.ts';

const MAX_AGGREGATE_ERRORS = 100;
/** How many distinct errors one call revives; the rest become `[Truncated]`. */
export const MAX_REVIVED_ERRORS = 1_000;
/** How many extra members one revived error keeps. */
export const MAX_EXTRA_MEMBERS = 50;
/** The longest `code` kept; a longer one is cut. */
export const MAX_CODE_LENGTH = 200;
const HANDLED_KEYS = new Set([
  'rampart',
  'name',
  'message',
  'stack',
  'cause',
  'errors',
  'code',
  'status',
  'retryable',
  'expose',
  'details',
  'context',
]);

type Fields = Record<string, unknown>;

/** What one call shares across the whole graph it revives. */
interface Walk {
  /** The inputs being revived (ancestors of the current one): a repeat is a cycle. */
  readonly ancestors: Set<object>;
  /** Inputs already revived: a shared input (a DAG) is revived once and shared. */
  readonly revived: Map<object, Error>;
  /** Errors left to revive. */
  errorsLeft: number;
  /** Object visits left for the JSON members of every error. */
  readonly budget: JsonSafeBudget;
}

/**
 * Turns the output of {@link serializeError} (an object, or its JSON text) back into an
 * error: Rampart errors become instances of the class registered for their code (an
 * unknown code keeps its code and status on a plain `RampartError`), foreign errors become
 * `Error`s (or `AggregateError`s) with their name, code and extra properties, and cause
 * chains and aggregate `errors` are revived too.
 *
 * Safe on hostile input: it never throws, never writes `__proto__`, `constructor` or
 * `prototype`, never overrides a method, and bounds depth and size. No constructor runs
 * and no stack is captured while reviving.
 *
 * @remarks
 * Bounds: a cause chain or aggregate nesting of 16 levels, 100 `errors` per aggregate,
 * 1,000 distinct errors per call (an error shared many times, as structured clone
 * delivers it, is revived once and shared), 50 extra members per error, a `code` of 200
 * characters, and 100,000 characters of name, message or stack. A revived built-in error
 * has its class's public fields (`issues`, `policies`, `retryAfterMs`), from the input
 * when well-formed and the class's defaults otherwise.
 *
 * @example
 * ```ts
 * import { deserializeError, isRampartError } from '@rampart/errors';
 *
 * worker.on('message', (message) => {
 *   const error = deserializeError(message.error);
 *   if (isRampartError(error, 'E_TIMEOUT')) scheduleRetry();
 * });
 * ```
 */
export function deserializeError(input: unknown): Error {
  try {
    const walk: Walk = {
      ancestors: new Set(),
      revived: new Map(),
      errorsLeft: MAX_REVIVED_ERRORS,
      budget: createBudget(),
    };
    return revive(parseIfText(input), 0, walk);
  } catch {
    return new InternalError('The error could not be deserialized');
  }
}

function parseIfText(input: unknown): unknown {
  if (typeof input !== 'string') return input;
  try {
    return JSON.parse(input);
  } catch {
    return { name: 'Error', message: input };
  }
}

function revive(input: unknown, depth: number, walk: Walk): Error {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    const message = typeof input === 'string' ? stringValue(input) : 'Unknown error';
    return withoutStack(() => new Error(message));
  }
  walk.errorsLeft--;
  walk.ancestors.add(input);
  const fields = input as Fields;
  const message = stringField(fields, 'message') ?? '';
  const error =
    read(fields, 'rampart') === true && typeof read(fields, 'code') === 'string'
      ? reviveRampart(fields, message, depth, walk)
      : reviveForeign(fields, message, depth, walk);
  const name = stringField(fields, 'name');
  if (name !== undefined && name !== error.name) define(error, 'name', name, false);
  const stack = stringField(fields, 'stack');
  define(error, 'stack', stack ?? `${error.name}: ${message}`, false);
  const cause = read(fields, 'cause');
  if (cause !== undefined) define(error, 'cause', reviveCause(cause, depth, walk), false);
  copyExtras(error, fields, walk.budget);
  walk.ancestors.delete(input);
  walk.revived.set(input, error);
  return error;
}

function reviveRampart(fields: Fields, message: string, depth: number, walk: Walk): Error {
  const code = truncate(String(read(fields, 'code')), MAX_CODE_LENGTH);
  const errorClass = errorRegistry.get(code)?.errorClass ?? RampartError;
  const definition = errorClass.definition;
  const error = withoutStack(() => Reflect.construct(Error, [message], errorClass) as Error);
  const status = read(fields, 'status');
  const validStatus =
    typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599;
  define(error, 'code', code, true);
  define(error, 'status', validStatus ? status : definition.status, true);
  define(error, 'retryable', booleanField(fields, 'retryable') ?? definition.retryable, true);
  define(error, 'expose', booleanField(fields, 'expose') ?? definition.expose, true);
  define(error, 'details', objectField(fields, 'details', walk.budget), true);
  define(error, 'context', objectField(fields, 'context', walk.budget), true);
  reviveClassFields(error, (key) => read(fields, key));
  const errors = reviveErrors(read(fields, 'errors'), depth, walk);
  if (errors !== undefined) define(error, 'errors', errors, true);
  return error;
}

function reviveForeign(fields: Fields, message: string, depth: number, walk: Walk): Error {
  const errors = reviveErrors(read(fields, 'errors'), depth, walk);
  const error = withoutStack(() =>
    errors === undefined ? new Error(message) : new AggregateError(errors, message),
  );
  const code = read(fields, 'code');
  if (typeof code === 'string') define(error, 'code', truncate(code, MAX_CODE_LENGTH), true);
  else if (typeof code === 'number') define(error, 'code', code, true);
  return error;
}

function reviveErrors(value: unknown, depth: number, walk: Walk): Error[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .slice(0, MAX_AGGREGATE_ERRORS)
    .map((item: unknown) => reviveNested(item, depth, walk));
}

function reviveCause(value: unknown, depth: number, walk: Walk): unknown {
  if (looksSerialized(value)) return reviveNested(value, depth, walk);
  return toJsonSafe(value, defaultJsonSafeLimits, { budget: walk.budget }) ?? null;
}

function reviveNested(value: unknown, depth: number, walk: Walk): Error {
  if (typeof value === 'object' && value !== null) {
    if (walk.ancestors.has(value)) return withoutStack(() => new Error('[Circular]'));
    const revived = walk.revived.get(value);
    if (revived !== undefined) return revived;
  }
  if (depth + 1 >= MAX_CAUSE_DEPTH || walk.errorsLeft <= 0) {
    return withoutStack(() => new Error('[Truncated]'));
  }
  return revive(value, depth + 1, walk);
}

function looksSerialized(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return (
    typeof read(value as Fields, 'name') === 'string' &&
    typeof read(value as Fields, 'message') === 'string'
  );
}

function copyExtras(error: Error, fields: Fields, budget: JsonSafeBudget): void {
  let copied = 0;
  for (const key of Object.keys(fields)) {
    if (copied >= MAX_EXTRA_MEMBERS) return;
    if (HANDLED_KEYS.has(key) || isUnsafeKey(key) || key in error) continue;
    const value = toJsonSafe(read(fields, key), defaultJsonSafeLimits, { budget });
    if (value === undefined) continue;
    define(error, key, value, true);
    copied++;
  }
}

function define(target: object, key: string, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, enumerable, writable: true, configurable: true });
}

function withoutStack<T>(create: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return create();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function read(fields: Fields, key: string): unknown {
  try {
    return Object.hasOwn(fields, key) ? fields[key] : undefined;
  } catch {
    return undefined;
  }
}

function stringField(fields: Fields, key: string): string | undefined {
  const value = read(fields, key);
  return typeof value === 'string' ? stringValue(value) : undefined;
}

function stringValue(value: string): string {
  return truncate(value, defaultJsonSafeLimits.maxStringLength * 10);
}

function booleanField(fields: Fields, key: string): boolean | undefined {
  const value = read(fields, key);
  return typeof value === 'boolean' ? value : undefined;
}

function objectField(fields: Fields, key: string, budget: JsonSafeBudget): JsonObject {
  const value = toJsonSafe(read(fields, key), defaultJsonSafeLimits, { budget });
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
