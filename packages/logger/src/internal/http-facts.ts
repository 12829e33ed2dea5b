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
 * The client's address: Express's `req.ip` when present, else the first `X-Forwarded-For`
 * entry when proxies are trusted, else the socket's peer address.
 */
export function clientAddressOf(request: HttpRequestLike, trustProxy: boolean): string | undefined {
  if (typeof request.ip === 'string' && request.ip !== '') return request.ip;
  if (trustProxy) {
    const forwarded = request.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first !== undefined && first !== '') return first;
  }
  return request.socket?.remoteAddress;
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
