/**
 * Approximate heap bytes of a value: good enough to bound a cache by memory, cheap enough to
 * run on every write. Not exact: V8's layout varies (one-byte strings, hidden classes,
 * inline properties). Strings count 2 bytes per UTF-16 unit plus a header; objects a header
 * plus each key and value; typed arrays their bytes. Shared references count once, cycles
 * end, and a hostile value (a throwing getter or proxy) falls back to a fixed estimate.
 */
const STRING_HEADER = 16;
const OBJECT_HEADER = 24;
const SLOT = 8;
const MAX_DEPTH = 64;
const UNREADABLE_ESTIMATE = 1024;

export function approximateSize(value: unknown): number {
  try {
    return sizeOf(value, undefined, 0);
  } catch {
    return UNREADABLE_ESTIMATE;
  }
}

function sizeOf(value: unknown, seen: Set<object> | undefined, depth: number): number {
  switch (typeof value) {
    case 'string':
      return STRING_HEADER + 2 * value.length;
    case 'number':
      return SLOT;
    case 'boolean':
    case 'undefined':
      return 4;
    case 'bigint':
      return STRING_HEADER + Math.ceil(value.toString(16).length / 2);
    case 'symbol':
      return SLOT;
    case 'function':
      return OBJECT_HEADER * 2;
    default:
      if (value === null) return 4;
      return objectSize(value as object, seen, depth);
  }
}

function objectSize(value: object, seen: Set<object> | undefined, depth: number): number {
  if (depth >= MAX_DEPTH) return SLOT;
  const visited = seen ?? new Set<object>();
  if (visited.has(value)) return SLOT;
  visited.add(value);
  const next = depth + 1;
  if (Array.isArray(value)) {
    let total = OBJECT_HEADER + SLOT * value.length;
    for (const item of value) total += sizeOf(item, visited, next);
    return total;
  }
  if (ArrayBuffer.isView(value)) return OBJECT_HEADER * 2 + value.byteLength;
  if (value instanceof ArrayBuffer) return OBJECT_HEADER + value.byteLength;
  if (value instanceof Date) return OBJECT_HEADER + SLOT;
  if (value instanceof Map) {
    let total = OBJECT_HEADER * 2;
    for (const [key, item] of value) {
      total += 2 * SLOT + sizeOf(key, visited, next) + sizeOf(item, visited, next);
    }
    return total;
  }
  if (value instanceof Set) {
    let total = OBJECT_HEADER * 2;
    for (const item of value) total += SLOT + sizeOf(item, visited, next);
    return total;
  }
  let total = OBJECT_HEADER;
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    total += SLOT + 2 * key.length + sizeOf(record[key], visited, next);
  }
  return total;
}
