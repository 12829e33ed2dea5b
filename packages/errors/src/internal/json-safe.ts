import type { JsonValue } from '../json.ts';

/** Limits that keep a conversion bounded on hostile or enormous input. */
export interface JsonSafeLimits {
  readonly maxDepth: number;
  readonly maxKeys: number;
  readonly maxStringLength: number;
}

export const defaultJsonSafeLimits: JsonSafeLimits = {
  maxDepth: 10,
  maxKeys: 200,
  maxStringLength: 10_000,
};

/** Keys that must never be written onto a plain object (prototype pollution). */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

export function truncate(text: string, maxLength: number): string {
  return text.length > maxLength ? `${text.slice(0, maxLength)}…` : text;
}

/**
 * Converts any value to a JSON value: cycles become `'[Circular]'`, depth past the limit
 * `'[Truncated]'`, bigints strings, dates ISO strings, non-finite numbers `null`;
 * functions, symbols and `undefined` members are dropped. Never throws: a member whose
 * getter throws is skipped.
 */
export function toJsonSafe(
  value: unknown,
  limits: JsonSafeLimits = defaultJsonSafeLimits,
): JsonValue | undefined {
  return convert(value, limits, 0, new Set());
}

function convert(
  value: unknown,
  limits: JsonSafeLimits,
  depth: number,
  ancestors: Set<object>,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return truncate(value, limits.maxStringLength);
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'boolean':
      return value;
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (ancestors.has(value)) return '[Circular]';
  if (depth >= limits.maxDepth) return '[Truncated]';
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? null : value.toISOString();
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: JsonValue[] = [];
      const length = Math.min(value.length, limits.maxKeys);
      for (let index = 0; index < length; index++) {
        const item = convert(readIndex(value, index), limits, depth + 1, ancestors);
        items.push(item === undefined ? null : item);
      }
      return items;
    }
    const result: { [key: string]: JsonValue } = {};
    let count = 0;
    for (const key of ownKeys(value)) {
      if (count >= limits.maxKeys) break;
      if (key === '__proto__') continue;
      const member = convert(readKey(value, key), limits, depth + 1, ancestors);
      if (member === undefined) continue;
      result[key] = member;
      count++;
    }
    return result;
  } finally {
    ancestors.delete(value);
  }
}

function ownKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

function readKey(value: object, key: string): unknown {
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function readIndex(value: readonly unknown[], index: number): unknown {
  try {
    return value[index];
  } catch {
    return undefined;
  }
}
