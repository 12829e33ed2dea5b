import type { ServerResponse } from 'node:http';

/**
 * The headers a JSON API sends on every response (OWASP's REST security cheat sheet): no
 * content sniffing, no framing, HTTPS only, a Content-Security-Policy that allows nothing (a
 * JSON response never needs to load or run anything), no referrer, no cross-origin reads or
 * window sharing, and no caching by browsers or proxies. Behind TLS termination
 * `Strict-Transport-Security` reaches browsers; over plain HTTP they ignore it.
 */
export const securityHeaders: Readonly<Record<string, string>> = Object.freeze({
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'content-security-policy':
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
  'referrer-policy': 'no-referrer',
  'cross-origin-resource-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'x-permitted-cross-domain-policies': 'none',
  'permissions-policy': 'camera=(), geolocation=(), microphone=(), payment=(), usb=()',
  'cache-control': 'no-store',
});

const entries = Object.entries(securityHeaders);

/** Sets {@link securityHeaders} on a response before anything else writes to it. */
export function applySecurityHeaders(response: ServerResponse): void {
  for (const [name, value] of entries) response.setHeader(name, value);
}
