import { clientIp, type TrustProxy } from '@rampart/errors';
import type { HttpRequestLike } from '../http-types.ts';
import { REDACTED } from '../redaction.ts';

/** The path of a URL, without its query string (which often carries tokens). */
export function pathOf(url: string | undefined): string {
  if (url === undefined || url === '') return '/';
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

/** Express's matched route pattern (`/users/:id`), when there is one. */
export function routeOf(request: HttpRequestLike): string | undefined {
  const path = request.route?.path;
  if (typeof path !== 'string') return undefined;
  return `${typeof request.baseUrl === 'string' ? request.baseUrl : ''}${path}`;
}

/**
 * The client's address. With `trustProxy` set, `clientIp` from `@rampart/errors` decides, the
 * same function rate limits use, so logs and limits name the same client; unset or `false`,
 * Express's `req.ip` when present, else the socket's peer address.
 */
export function clientAddressOf(
  request: HttpRequestLike,
  trustProxy: TrustProxy | undefined,
): string | undefined {
  if (trustProxy === undefined || trustProxy === false) {
    if (typeof request.ip === 'string' && request.ip !== '') return request.ip;
    return request.socket?.remoteAddress;
  }
  if (typeof request.headers !== 'object' || request.headers === null) {
    return request.socket?.remoteAddress;
  }
  const ip = clientIp(request, { trustProxy });
  return ip === 'unknown' ? undefined : ip;
}

/** Headers that carry credentials by name. */
const CREDENTIAL_HEADERS: ReadonlySet<string> = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
]);

/** Header names that speak of credentials (`x-auth-token`, `x-session-id`, `x-amz-security-token`). */
const CREDENTIAL_WORDS = /auth|token|secret|passw|session|credential|signature|api-?key|cookie/;

/** Whether a header (lower-case name) carries a credential: never written, even when allowed. */
export function isCredentialHeader(name: string): boolean {
  return CREDENTIAL_HEADERS.has(name) || CREDENTIAL_WORDS.test(name);
}

/**
 * Only the allowed headers, in the request's own spelling; credential-bearing ones are
 * written as `"[Redacted]"` even when allowed.
 */
export function pickHeaders(
  headers: unknown,
  allowed: ReadonlySet<string>,
): Record<string, string | string[]> {
  const picked: Record<string, string | string[]> = {};
  if (typeof headers !== 'object' || headers === null) return picked;
  for (const [name, value] of Object.entries(headers)) {
    const lowerCase = name.toLowerCase();
    if (!allowed.has(lowerCase)) continue;
    if (isCredentialHeader(lowerCase)) picked[name] = REDACTED;
    else if (typeof value === 'string' || Array.isArray(value)) picked[name] = value;
    else if (typeof value === 'number') picked[name] = String(value);
  }
  return picked;
}
