import { REDACTED } from '../redaction.ts';

/**
 * Fast key-based redaction: one `Set#has` per key, copy-on-write (an object with nothing to
 * redact is returned as is, never cloned), and never a mutation of the caller's objects.
 */
export interface Redactor {
  /** Whether a key is sensitive in any of its spellings. */
  isSensitive(key: string): boolean;
  /**
   * Redacts a log line's object: sensitive keys at its top level, one level down in any
   * object, and in the `headers` object of any of those objects.
   */
  redactObject(object: Record<string, unknown>): Record<string, unknown>;
  /** Redacts one binding (`key: value`) the way {@link Redactor.redactObject} treats a top-level entry. */
  redactEntry(key: string, value: unknown): unknown;
  /** Redacts sensitive keys at every depth of JSON-like data (used for errors). */
  redactDeep(value: unknown): unknown;
}

/** Objects whose JSON is not their own enumerable keys, or that are handled elsewhere. */
function isScannable(value: object): boolean {
  return !(
    Array.isArray(value) ||
    value instanceof Error ||
    ArrayBuffer.isView(value) ||
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}

const MAX_DEEP_DEPTH = 12;

/** A redactor for the given set of sensitive spellings. */
export function createRedactor(sensitive: ReadonlySet<string>): Redactor {
  /** Sensitive keys of one object, without looking deeper. */
  const redactFlat = (value: object): object => {
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (sensitive.has(key) && record[key] !== undefined && Object.hasOwn(record, key)) {
        copy ??= { ...record };
        copy[key] = REDACTED;
      }
    }
    return copy ?? value;
  };

  /** One level below the top: sensitive keys, and the `headers` object if there is one. */
  const redactChild = (value: object): object => {
    if (!isScannable(value)) return value;
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key in record) {
      const member = record[key];
      if (member === undefined) continue;
      if (sensitive.has(key)) {
        if (!Object.hasOwn(record, key)) continue;
        copy ??= { ...record };
        copy[key] = REDACTED;
      } else if (key === 'headers' && typeof member === 'object' && member !== null) {
        const headers = redactFlat(member);
        if (headers !== member && Object.hasOwn(record, key)) {
          copy ??= { ...record };
          copy[key] = headers;
        }
      }
    }
    return copy ?? value;
  };

  const redactObject = (object: Record<string, unknown>): Record<string, unknown> => {
    let copy: Record<string, unknown> | undefined;
    for (const key in object) {
      const value = object[key];
      if (value === undefined) continue;
      if (sensitive.has(key)) {
        if (!Object.hasOwn(object, key)) continue;
        copy ??= { ...object };
        copy[key] = REDACTED;
      } else if (typeof value === 'object' && value !== null) {
        const redacted = redactChild(value);
        if (redacted !== value && Object.hasOwn(object, key)) {
          copy ??= { ...object };
          copy[key] = redacted;
        }
      }
    }
    return copy ?? object;
  };

  const redactDeepAt = (value: unknown, depth: number): unknown => {
    if (typeof value !== 'object' || value === null || depth >= MAX_DEEP_DEPTH) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (const [index, item] of value.entries()) {
        const redacted = redactDeepAt(item, depth + 1);
        if (redacted !== item) {
          copy ??= [...value];
          copy[index] = redacted;
        }
      }
      return copy ?? value;
    }
    if (!isScannable(value)) return value;
    let copy: Record<string, unknown> | undefined;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      const member = record[key];
      const redacted =
        sensitive.has(key) && member !== undefined ? REDACTED : redactDeepAt(member, depth + 1);
      if (redacted !== member) {
        copy ??= { ...record };
        copy[key] = redacted;
      }
    }
    return copy ?? value;
  };

  return {
    isSensitive: (key) => sensitive.has(key),
    redactObject,
    redactEntry(key, value) {
      if (value === undefined) return value;
      if (sensitive.has(key)) return REDACTED;
      return typeof value === 'object' && value !== null ? redactChild(value) : value;
    },
    redactDeep: (value) => redactDeepAt(value, 0),
  };
}
