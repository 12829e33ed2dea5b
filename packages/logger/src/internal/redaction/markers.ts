/** Written for a value that threw when read (a getter, a Proxy trap, a `toJSON()`). */
export const UNREADABLE = '[Unreadable]';
/** Written for an object that contains itself (pino writes cycles the same way). */
export const CIRCULAR = '[Circular]';
/** Written for an object nested deeper than the redactor walks. */
export const TOO_DEEP_OBJECT = '[Object]';
/** Written for an array nested deeper than the redactor walks. */
export const TOO_DEEP_ARRAY = '[Array]';

/**
 * A plain copy of `record` holding its first `count` members (in `keys` order), read again
 * one by one so that a getter throwing now is marked instead of thrown.
 */
export function redactedCopy(
  record: Record<string, unknown>,
  keys: readonly string[],
  count: number,
): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (let index = 0; index < count; index++) {
    const key = keys[index] as string;
    let member: unknown;
    try {
      member = record[key];
    } catch {
      member = UNREADABLE;
    }
    setMember(copy, key, member);
  }
  return copy;
}

/** Sets `copy[key]`; an own `__proto__` key is written as data, never as the copy's prototype. */
export function setMember(copy: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(copy, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else copy[key] = value;
}
