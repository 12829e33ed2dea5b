import { InternalError } from './built-in-errors.ts';
import { defaultJsonSafeLimits, isUnsafeKey, toJsonSafe, truncate } from './internal/json-safe.ts';
import type { JsonObject } from './json.ts';
import { RampartError } from './rampart-error.ts';
import { errorRegistry } from './registry.ts';
import { MAX_CAUSE_DEPTH } from './serialize-error.ts';

const MAX_AGGREGATE_ERRORS = 100;
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
    return revive(parseIfText(input), 0, new Set());
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

function revive(input: unknown, depth: number, seen: Set<object>): Error {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return withoutStack(() => new Error(typeof input === 'string' ? input : 'Unknown error'));
  }
  seen.add(input);
  const fields = input as Fields;
  const message = stringField(fields, 'message') ?? '';
  const error =
    read(fields, 'rampart') === true && typeof read(fields, 'code') === 'string'
      ? reviveRampart(fields, message, depth, seen)
      : reviveForeign(fields, message, depth, seen);
  const name = stringField(fields, 'name');
  if (name !== undefined && name !== error.name) define(error, 'name', name, false);
  const stack = stringField(fields, 'stack');
  define(error, 'stack', stack ?? `${error.name}: ${message}`, false);
  const cause = read(fields, 'cause');
  if (cause !== undefined) define(error, 'cause', reviveCause(cause, depth, seen), false);
  copyExtras(error, fields);
  seen.delete(input);
  return error;
}

function reviveRampart(fields: Fields, message: string, depth: number, seen: Set<object>): Error {
  const code = String(read(fields, 'code'));
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
  define(error, 'details', objectField(fields, 'details'), true);
  define(error, 'context', objectField(fields, 'context'), true);
  const errors = reviveErrors(read(fields, 'errors'), depth, seen);
  if (errors !== undefined) define(error, 'errors', errors, true);
  return error;
}

function reviveForeign(fields: Fields, message: string, depth: number, seen: Set<object>): Error {
  const errors = reviveErrors(read(fields, 'errors'), depth, seen);
  const error = withoutStack(() =>
    errors === undefined ? new Error(message) : new AggregateError(errors, message),
  );
  const code = read(fields, 'code');
  if (typeof code === 'string' || typeof code === 'number') define(error, 'code', code, true);
  return error;
}

function reviveErrors(value: unknown, depth: number, seen: Set<object>): Error[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .slice(0, MAX_AGGREGATE_ERRORS)
    .map((item: unknown) => reviveNested(item, depth, seen));
}

function reviveCause(value: unknown, depth: number, seen: Set<object>): unknown {
  if (looksSerialized(value)) return reviveNested(value, depth, seen);
  return toJsonSafe(value) ?? null;
}

function reviveNested(value: unknown, depth: number, seen: Set<object>): Error {
  if (typeof value === 'object' && value !== null && seen.has(value)) {
    return withoutStack(() => new Error('[Circular]'));
  }
  if (depth + 1 >= MAX_CAUSE_DEPTH) return withoutStack(() => new Error('[Truncated]'));
  return revive(value, depth + 1, seen);
}

function looksSerialized(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return (
    typeof read(value as Fields, 'name') === 'string' &&
    typeof read(value as Fields, 'message') === 'string'
  );
}

function copyExtras(error: Error, fields: Fields): void {
  for (const key of Object.keys(fields)) {
    if (HANDLED_KEYS.has(key) || isUnsafeKey(key) || key in error) continue;
    const value = toJsonSafe(read(fields, key));
    if (value !== undefined) define(error, key, value, true);
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
  return typeof value === 'string'
    ? truncate(value, defaultJsonSafeLimits.maxStringLength * 10)
    : undefined;
}

function booleanField(fields: Fields, key: string): boolean | undefined {
  const value = read(fields, key);
  return typeof value === 'boolean' ? value : undefined;
}

function objectField(fields: Fields, key: string): JsonObject {
  const value = toJsonSafe(read(fields, key));
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
}
