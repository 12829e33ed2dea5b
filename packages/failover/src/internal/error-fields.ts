import { isRampartError } from '@rampart/errors';

/** Reads one property of an error; a throwing getter reads as `undefined`. */
function read(error: object, key: string): unknown {
  try {
    return (error as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** The HTTP status an error carries (`status` or `statusCode`), when it has one. */
export function statusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const status = read(error, 'status') ?? read(error, 'statusCode');
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** The Rampart `code` of an error, `undefined` for anything else. */
export function codeOf(error: unknown): string | undefined {
  return isRampartError(error) ? error.code : undefined;
}

/**
 * How long an error asks its provider to be left alone: its `retryAfterMs` when it is a
 * 429 (Rampart `E_RATE_LIMITED` or any error with status 429) carrying a positive finite
 * number; otherwise `undefined`.
 */
export function rateLimitCooldownMs(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const limited = isRampartError(error, 'E_RATE_LIMITED') || statusOf(error) === 429;
  if (!limited) return undefined;
  const retryAfterMs = read(error, 'retryAfterMs');
  return typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs) && retryAfterMs > 0
    ? retryAfterMs
    : undefined;
}
