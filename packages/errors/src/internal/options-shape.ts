import type * as z from 'zod';
import { describeValue } from '../describe-value.ts';

interface SchemaDefinition {
  readonly type?: string;
  readonly shape?: Record<string, unknown>;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
}

function definitionOf(schema: z.ZodType): SchemaDefinition | undefined {
  return (schema as unknown as { _zod?: { def?: SchemaDefinition } })._zod?.def;
}

/**
 * The keys of an object schema, seen through `optional`, `default`, `pipe` and similar
 * wrappers; `undefined` when the schema does not describe an options object.
 */
export function objectSchemaKeys(schema: z.ZodType): readonly string[] | undefined {
  let current: z.ZodType | undefined = schema;
  for (let hops = 0; current !== undefined && hops < 8; hops++) {
    const definition = definitionOf(current);
    if (definition === undefined) return undefined;
    if (definition.type === 'object') return Object.keys(definition.shape ?? {});
    current = definition.innerType ?? definition.in;
  }
  return undefined;
}

/** Whether an object schema accepts `undefined` (an optional or defaulted options object). */
export function acceptsUndefined(schema: z.ZodType): boolean {
  try {
    return schema.safeParse(undefined).success;
  } catch {
    return false;
  }
}

/**
 * Says what is wrong when something that is not a plain object (a Redis client, a `Map`,
 * a class instance, a function, an array) was passed where an options object belongs;
 * `undefined` for a plain object and for anything the schema's own checks word well.
 */
export function describeMisplacedOptions(
  input: unknown,
  keys: readonly string[],
): string | undefined {
  if (typeof input !== 'object' && typeof input !== 'function') return undefined;
  if (input === null) return undefined;
  let prototype: unknown;
  try {
    if (Array.isArray(input)) return `expected a plain options object, got ${describeValue(input)}`;
    prototype = Object.getPrototypeOf(input);
  } catch {
    return 'expected a plain options object, got an unreadable object';
  }
  if (typeof input === 'object' && (prototype === Object.prototype || prototype === null)) {
    return undefined;
  }
  if (looksLikeRedisClient(input)) {
    const hint = keys.includes('client') ? '; pass the client as `{ client }`' : '';
    return `expected a plain options object, got a Redis client${hint}`;
  }
  return `expected a plain options object, got ${describeValue(input)}`;
}

function looksLikeRedisClient(value: object): boolean {
  try {
    const candidate = value as Record<string, unknown>;
    return (
      typeof candidate.sendCommand === 'function' &&
      (typeof candidate.duplicate === 'function' || typeof candidate.nodes === 'function')
    );
  } catch {
    return false;
  }
}
