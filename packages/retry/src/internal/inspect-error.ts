/** Reads `object[key]`, `undefined` when reading throws (a hostile getter or proxy). */
export function readProperty(object: object, key: string): unknown {
  try {
    return (object as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function asStatus(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value <= 599
    ? value
    : undefined;
}

/**
 * The HTTP status an error carries, where HTTP clients put it: `status` / `statusCode`
 * (http-errors, got, undici), `response.status` / `response.statusCode` (axios, ky, fetch
 * wrappers) or `$metadata.httpStatusCode` (AWS SDK v3).
 */
export function httpStatusOf(error: object): number | undefined {
  const direct =
    asStatus(readProperty(error, 'status')) ?? asStatus(readProperty(error, 'statusCode'));
  if (direct !== undefined) return direct;
  const response = readProperty(error, 'response');
  if (typeof response === 'object' && response !== null) {
    const status =
      asStatus(readProperty(response, 'status')) ?? asStatus(readProperty(response, 'statusCode'));
    if (status !== undefined) return status;
  }
  const metadata = readProperty(error, '$metadata');
  if (typeof metadata === 'object' && metadata !== null) {
    return asStatus(readProperty(metadata, 'httpStatusCode'));
  }
  return undefined;
}

/** The value of an HTTP header in a fetch `Headers`, a Node headers object or a plain record. */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = readProperty(headers, 'get');
  let value: unknown;
  if (typeof get === 'function') {
    try {
      value = (get as (name: string) => unknown).call(headers, name);
    } catch {
      value = undefined;
    }
  } else {
    value = readProperty(headers, name);
    if (value === undefined) {
      const wanted = name.toLowerCase();
      for (const key of Object.keys(headers)) {
        if (key.toLowerCase() === wanted) {
          value = readProperty(headers, key);
          break;
        }
      }
    }
  }
  if (Array.isArray(value)) value = value[0];
  return typeof value === 'string' ? value : undefined;
}
