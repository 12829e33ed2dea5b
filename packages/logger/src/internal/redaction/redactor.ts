import { REDACTED } from '../../redaction.ts';
import {
  CIRCULAR,
  redactedCopy,
  setMember,
  TOO_DEEP_ARRAY,
  TOO_DEEP_OBJECT,
  UNREADABLE,
} from './markers.ts';

/**
 * Key-based redaction at every depth: one `Set#has` per key, copy-on-write (data with nothing
 * to redact is returned as is, never cloned), never a mutation of the caller's objects, and
 * never a throw: what cannot be read is marked instead (see `markers.ts`).
 */
export interface Redactor {
  /** Whether a key is sensitive in any of its spellings. */
  isSensitive(key: string): boolean;
  /**
   * Redacts a log line's object (or a logger's bindings) before pino writes it. Fields that
   * have a serializer (`err`, `req`, …) are left to it: the serializers redact their output.
   */
  redactObject(object: Record<string, unknown>): Record<string, unknown>;
  /** Redacts one binding (`key: value`) whose serializer, if any, already ran. */
  redactEntry(key: string, value: unknown): unknown;
  /** Redacts any value at every depth: errors, arrays, `toJSON()` output and plain objects. */
  redactDeep(value: unknown): unknown;
}

/** Options of {@link createRedactor}. */
export interface RedactorOptions {
  /** Fields of a line that pino hands to a serializer: {@link Redactor.redactObject} skips them. */
  readonly serializedKeys?: ReadonlySet<string>;
  /** Writes an error found anywhere in a line; given the redactor, returns a redacted value. */
  readonly serializeError?: (redactor: Redactor) => (error: Error) => unknown;
}

/** Levels below a line's fields that are walked; deeper objects are written as a marker. */
export const MAX_DEPTH = 16;

const NONE: ReadonlySet<string> = new Set();

/** A redactor for the given set of sensitive spellings. */
export function createRedactor(
  sensitive: ReadonlySet<string>,
  options: RedactorOptions = {},
): Redactor {
  const serializedKeys = options.serializedKeys ?? NONE;
  let serializeError: (error: Error) => unknown = (error) => ({
    type: 'Error',
    message: String(error.message),
  });

  /** `record`'s own enumerable members redacted (those in `skip` left as they are). */
  const redactRecord = (
    record: Record<string, unknown>,
    depth: number,
    ancestors: object[],
    skip: ReadonlySet<string>,
  ): Record<string, unknown> => {
    const keys = Object.keys(record);
    let copy: Record<string, unknown> | undefined;
    ancestors.push(record);
    for (let index = 0; index < keys.length; index++) {
      const key = keys[index] as string;
      let member: unknown;
      let next: unknown;
      try {
        member = record[key];
        if (member === undefined || skip.has(key)) next = member;
        else if (sensitive.has(key)) next = REDACTED;
        else next = walk(member, depth + 1, ancestors);
      } catch {
        next = UNREADABLE;
      }
      if (copy !== undefined) setMember(copy, key, next);
      else if (next !== member || next === UNREADABLE) {
        copy = redactedCopy(record, keys, index);
        setMember(copy, key, next);
      }
    }
    ancestors.pop();
    return copy ?? record;
  };

  const redactArray = (array: readonly unknown[], depth: number, ancestors: object[]) => {
    let copy: unknown[] | undefined;
    ancestors.push(array);
    for (let index = 0; index < array.length; index++) {
      let item: unknown;
      let next: unknown;
      try {
        item = array[index];
        next = walk(item, depth + 1, ancestors);
      } catch {
        next = UNREADABLE;
      }
      if (next !== item || next === UNREADABLE) {
        copy ??= array.slice(0, index);
        copy[index] = next;
      } else if (copy !== undefined) copy[index] = item;
    }
    ancestors.pop();
    return copy ?? array;
  };

  /** `value` at `depth` below the line, redacted; may throw (callers mark it unreadable). */
  const walk = (value: unknown, depth: number, ancestors: object[]): unknown => {
    if (typeof value !== 'object' || value === null) return value;
    if (ancestors.includes(value)) return CIRCULAR;
    if (Array.isArray(value)) {
      return depth >= MAX_DEPTH ? TOO_DEEP_ARRAY : redactArray(value, depth, ancestors);
    }
    if (value instanceof Date || ArrayBuffer.isView(value)) return value;
    if (value instanceof Error) return serializeError(value);
    if (depth >= MAX_DEPTH) return TOO_DEEP_OBJECT;
    const toJSON = (value as { toJSON?: unknown }).toJSON;
    if (typeof toJSON === 'function') {
      // What JSON.stringify would write, redacted: the output may hold what the object hid.
      const json: unknown = toJSON.call(value, '');
      if (typeof json !== 'object' || json === null) return json;
      if (json === value)
        return redactRecord(value as Record<string, unknown>, depth, ancestors, NONE);
      ancestors.push(value);
      const redacted = walk(json, depth, ancestors);
      ancestors.pop();
      return redacted;
    }
    return redactRecord(value as Record<string, unknown>, depth, ancestors, NONE);
  };

  const redactDeep = (value: unknown): unknown => {
    try {
      return walk(value, 0, []);
    } catch {
      return UNREADABLE;
    }
  };

  const redactor: Redactor = {
    isSensitive: (key) => sensitive.has(key),
    redactObject(object) {
      try {
        return redactRecord(object, 0, [], serializedKeys);
      } catch {
        return { fields: UNREADABLE };
      }
    },
    redactEntry(key, value) {
      if (value === undefined) return value;
      if (sensitive.has(key)) return REDACTED;
      try {
        return walk(value, 1, []);
      } catch {
        return UNREADABLE;
      }
    },
    redactDeep,
  };
  if (options.serializeError !== undefined) serializeError = options.serializeError(redactor);
  return redactor;
}
