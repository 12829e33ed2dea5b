import { types } from 'node:util';
import { isRampartError } from '../brand.ts';
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

/**
 * How many values (objects, arrays and their members) one conversion (or one whole
 * serialisation sharing the budget) may visit: a DAG that shares one object many times
 * cannot make the work or the output exponential.
 */
export const DEFAULT_MAX_NODES = 20_000;
/** How many characters of strings one conversion (or shared budget) writes in all. */
export const DEFAULT_MAX_CHARACTERS = 1_000_000;

/** A work budget shared by several conversions. */
export interface JsonSafeBudget {
  /** Values (objects, arrays, members) left to visit. */
  remaining: number;
  /** String characters left to write. */
  characters: number;
}

/** Creates a budget of `nodes` object visits and `characters` string characters. */
export function createBudget(
  nodes: number = DEFAULT_MAX_NODES,
  characters: number = DEFAULT_MAX_CHARACTERS,
): JsonSafeBudget {
  return { remaining: nodes, characters };
}

/** Members that never leave the process in a public document, at any depth. */
const PRIVATE_KEYS = new Set(['context', 'stack', 'cause']);

/** How a conversion treats objects. */
export interface JsonSafeMode {
  /** Shared work budget. @default a fresh budget of {@link DEFAULT_MAX_NODES} */
  readonly budget?: JsonSafeBudget;
  /**
   * Public mode, for problem bodies: drops `context`, `stack` and `cause` members at every
   * depth, and reduces an error object to its `name` and, when it is a Rampart error,
   * its `code` (never a message, which may be private).
   */
  readonly public?: boolean;
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
  mode: JsonSafeMode = {},
): JsonValue | undefined {
  const state: State = {
    limits,
    ancestors: new Set(),
    budget: mode.budget ?? createBudget(),
    public: mode.public === true,
  };
  return convert(value, state, 0);
}

interface State {
  readonly limits: JsonSafeLimits;
  readonly ancestors: Set<object>;
  readonly budget: JsonSafeBudget;
  readonly public: boolean;
}

function convert(value: unknown, state: State, depth: number): JsonValue | undefined {
  const { limits, ancestors } = state;
  switch (typeof value) {
    case 'string': {
      const budget = state.budget;
      if (budget.characters <= 0) return '[Truncated]';
      const text = truncate(value, Math.min(limits.maxStringLength, budget.characters));
      budget.characters -= text.length;
      return text;
    }
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
  if (state.budget.remaining <= 0) return '[Truncated]';
  state.budget.remaining--;
  if (state.public && isErrorObject(value)) return publicErrorStub(value);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: JsonValue[] = [];
      const length = Math.min(value.length, limits.maxKeys);
      for (let index = 0; index < length; index++) {
        if (state.budget.remaining <= 0) break;
        state.budget.remaining--;
        const item = convert(readIndex(value, index), state, depth + 1);
        items.push(item === undefined ? null : item);
      }
      return items;
    }
    const result: { [key: string]: JsonValue } = {};
    let count = 0;
    for (const key of ownKeys(value)) {
      if (count >= limits.maxKeys || state.budget.remaining <= 0) break;
      state.budget.remaining--;
      if (key === '__proto__' || (state.public && PRIVATE_KEYS.has(key))) continue;
      const member = convert(readKey(value, key), state, depth + 1);
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

function isErrorObject(value: object): boolean {
  try {
    return value instanceof Error || types.isNativeError(value) || isRampartError(value);
  } catch {
    return true;
  }
}

/** An error inside public data: its name, and its code when it is a Rampart error. */
function publicErrorStub(error: object): JsonValue {
  const stub: { [key: string]: JsonValue } = {};
  const name = readKey(error, 'name');
  if (typeof name === 'string') stub.name = truncate(name, 200);
  const code = readKey(error, 'code');
  if (typeof code === 'string' && isRampartError(error)) stub.code = truncate(code, 200);
  return stub;
}
