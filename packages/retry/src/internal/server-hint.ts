import { isRampartError } from '@rampart/errors';
import { headerOf, readProperty } from './inspect-error.ts';

const DELAY_SECONDS = /^\s*(\d+)\s*$/;
const DELAY_MILLISECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * The wait a server asked for, in milliseconds, or `undefined` when it asked for none:
 * `retryAfterMs` on a Rampart error (`RateLimitedError`, `CircuitOpenError`,
 * `UnavailableError`), else a `Retry-After` header (delay-seconds or an HTTP date, relative to
 * `nowMs`) or a `Retry-After-Ms` header on the error's `response.headers` or `headers`.
 */
export function serverHintMs(error: unknown, nowMs: number): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  if (isRampartError(error)) {
    const retryAfterMs = readProperty(error, 'retryAfterMs');
    if (typeof retryAfterMs === 'number' && Number.isFinite(retryAfterMs)) {
      return Math.max(0, Math.ceil(retryAfterMs));
    }
  }
  const response = readProperty(error, 'response');
  const fromResponse =
    typeof response === 'object' && response !== null
      ? fromHeaders(readProperty(response, 'headers'), nowMs)
      : undefined;
  return fromResponse ?? fromHeaders(readProperty(error, 'headers'), nowMs);
}

function fromHeaders(headers: unknown, nowMs: number): number | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const milliseconds = headerOf(headers, 'retry-after-ms');
  const exact = milliseconds === undefined ? undefined : DELAY_MILLISECONDS.exec(milliseconds);
  if (exact?.[1] !== undefined) return Math.ceil(Number(exact[1]));
  const value = headerOf(headers, 'retry-after');
  return value === undefined ? undefined : parseRetryAfter(value, nowMs);
}

/**
 * Parses a `Retry-After` value (RFC 9110 §10.2.3): delay-seconds or an HTTP date. Returns
 * milliseconds from `nowMs`, 0 for a date in the past, `undefined` when unparseable.
 */
export function parseRetryAfter(value: string, nowMs: number): number | undefined {
  const seconds = DELAY_SECONDS.exec(value);
  if (seconds?.[1] !== undefined) return Number(seconds[1]) * 1000;
  if (!/[a-z]/i.test(value)) return undefined; // a bare number that is not delay-seconds
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
