import { type Clock, systemClock } from '@rampart/errors';
import type { RateLimitDecision } from './decision.ts';

/**
 * Which headers {@link rateLimitHeaders} writes: `'draft-10'` (the IETF draft's
 * `RateLimit-Policy` and `RateLimit` structured fields), `'legacy'` (`X-RateLimit-Limit`,
 * `-Remaining`, `-Reset`) or `'both'`.
 */
export type RateLimitHeaderFormat = 'draft-10' | 'legacy' | 'both';

/** Options of {@link rateLimitHeaders}. */
export interface RateLimitHeadersOptions {
  /**
   * Which headers to write.
   * @default `'draft-10'` — the standards-track format; add `'legacy'` for older clients.
   */
  readonly format?: RateLimitHeaderFormat | undefined;
  /**
   * The time source for `X-RateLimit-Reset`, the only header with an absolute time.
   * @default {@link @rampart/errors!systemClock | systemClock} — `Date.now()`, read at each call.
   */
  readonly clock?: Clock | undefined;
}

/** An RFC 8941 sf-string: printable ASCII, with `"` and `\` escaped. */
function sfString(value: string): string {
  let out = '"';
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code < 0x20 || code > 0x7e) continue;
    out += char === '"' || char === '\\' ? `\\${char}` : char;
  }
  return `${out}"`;
}

/** Seconds for a delay-seconds value: rounded up, so a client never comes back too early. */
function seconds(ms: number): number {
  return Math.ceil(Math.max(0, ms) / 1000);
}

/**
 * The HTTP response headers describing a decision, names in lower case (merge them with
 * `toProblemResponse`'s headers without duplicates):
 *
 * - `draft-10` (draft-ietf-httpapi-ratelimit-headers-10): `ratelimit-policy` lists every
 *   policy as `"name";q=<limit>;w=<window seconds>` (`w` is left out for a window that is
 *   not a whole number of seconds: the draft has no sub-second windows), and `ratelimit` its
 *   current state as `"name";r=<remaining>;t=<seconds until more quota>` (`t` is left out
 *   when the policy is at full capacity).
 * - `legacy`: `x-ratelimit-limit`, `x-ratelimit-remaining` and `x-ratelimit-reset` (Unix
 *   time in seconds, as GitHub and express-rate-limit send it) for the deciding policy.
 * - `retry-after` (seconds, rounded up) whenever the call was not allowed.
 *
 * @example
 * ```ts
 * import { rateLimitHeaders } from '@rampart/rate-limiter';
 *
 * const decision = await limiter.consume(key);
 * // { 'ratelimit-policy': '"minute";q=60;w=60', ratelimit: '"minute";r=59;t=1' }
 * response.writeHead(decision.allowed ? 200 : 429, rateLimitHeaders(decision));
 * ```
 */
export function rateLimitHeaders(
  decision: RateLimitDecision,
  options: RateLimitHeadersOptions = {},
): Record<string, string> {
  const format = options.format ?? 'draft-10';
  const headers: Record<string, string> = {};
  if (format === 'draft-10' || format === 'both') {
    const policies: string[] = [];
    const states: string[] = [];
    for (const policy of decision.policies) {
      const name = sfString(policy.name);
      const window = policy.windowMs % 1000 === 0 ? `;w=${policy.windowMs / 1000}` : '';
      policies.push(`${name};q=${policy.limit}${window}`);
      const refill = policy.refillMs > 0 ? `;t=${seconds(policy.refillMs)}` : '';
      states.push(`${name};r=${policy.remaining}${refill}`);
    }
    headers['ratelimit-policy'] = policies.join(', ');
    headers.ratelimit = states.join(', ');
  }
  if (format === 'legacy' || format === 'both') {
    const now = (options.clock ?? systemClock).now();
    headers['x-ratelimit-limit'] = String(decision.limit);
    headers['x-ratelimit-remaining'] = String(decision.remaining);
    headers['x-ratelimit-reset'] = String(Math.ceil((now + decision.resetMs) / 1000));
  }
  if (!decision.allowed)
    headers['retry-after'] = String(Math.max(1, seconds(decision.retryAfterMs)));
  return headers;
}
