const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** The longest key spelled out in a path; a longer (hostile) key is cut. */
const MAX_SEGMENT_LENGTH = 60;

/** Formats a property path as code would write it: `limits[0].windowMs`, `headers["x-id"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const whole of path) {
    const segment =
      typeof whole === 'string' && whole.length > MAX_SEGMENT_LENGTH
        ? `${whole.slice(0, MAX_SEGMENT_LENGTH)}…`
        : whole;
    if (typeof segment === 'number') result += `[${segment}]`;
    else if (typeof segment === 'symbol') result += `[${String(segment)}]`;
    else if (IDENTIFIER.test(segment)) result += result === '' ? segment : `.${segment}`;
    else result += `[${JSON.stringify(segment)}]`;
  }
  return result;
}

/** Reads the value at a path, own properties only; `undefined` when absent or unreadable. */
export function readPath(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    try {
      if (!Object.hasOwn(current, segment)) return undefined;
      current = (current as Record<PropertyKey, unknown>)[segment];
    } catch {
      return undefined;
    }
  }
  return current;
}
