const MAX_STRING_PREVIEW = 60;

/**
 * Renders a received value for an error message: short, unambiguous, never throws and
 * never dumps a whole object (`"abc"`, `-5`, `NaN`, `undefined`, `an array of 3 items`,
 * `a Map`).
 *
 * @example
 * ```ts
 * import { describeValue } from '@rampart/errors';
 *
 * describeValue('  ');       // '"  "'
 * describeValue(Number.NaN); // 'NaN'
 * describeValue([1, 2]);     // 'an array of 2 items'
 * ```
 */
export function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      const preview =
        value.length > MAX_STRING_PREVIEW ? `${value.slice(0, MAX_STRING_PREVIEW)}…` : value;
      return JSON.stringify(preview);
    }
    case 'number':
    case 'boolean':
    case 'undefined':
      return String(value);
    case 'bigint':
      return `${value}n`;
    case 'symbol':
      return 'a symbol';
    case 'function':
      return 'a function';
    default:
      return describeObject(value as object | null);
  }
}

function describeObject(value: object | null): string {
  if (value === null) return 'null';
  try {
    if (Array.isArray(value)) {
      return `an array of ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
    }
    const prototype: unknown = Object.getPrototypeOf(value);
    if (prototype === null || prototype === Object.prototype) return 'an object';
    const name: unknown = (prototype as { constructor?: { name?: unknown } }).constructor?.name;
    if (typeof name === 'string' && name !== '')
      return `${/^[AEIO]/.test(name) ? 'an' : 'a'} ${name}`;
  } catch {
    // A hostile proxy or getter: fall through to the generic description.
  }
  return 'an object';
}
