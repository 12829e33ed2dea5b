import { invalidArgument, RateLimitedError, type ViolatedPolicy } from '@rampart/errors';
import type { PolicyDecision, RateLimitDecision } from './decision.ts';

function describeWindow(windowMs: number): string {
  if (windowMs % 86_400_000 === 0) return plural(windowMs / 86_400_000, 'day');
  if (windowMs % 3_600_000 === 0) return plural(windowMs / 3_600_000, 'hour');
  if (windowMs % 60_000 === 0) return plural(windowMs / 60_000, 'minute');
  if (windowMs % 1000 === 0) return plural(windowMs / 1000, 'second');
  return `${windowMs} ms`;
}

function plural(count: number, unit: string): string {
  return count === 1 ? unit : `${count} ${unit}s`;
}

/**
 * The `RateLimitedError` (`E_RATE_LIMITED`, 429) for a rejected decision: its message names
 * the violated policies and the wait, its `retryAfterMs` and `policies` (name, limit,
 * windowMs) become the problem details' `retryAfterMs` and `violated-policies`, and
 * `toProblemResponse` adds `retry-after`. It never mentions the key.
 *
 * @remarks
 * Only a rejected decision (`allowed: false`) can become a 429: an allowed one, a shadow
 * decision included, is refused, so a missing `if (!decision.allowed)` fails loudly instead
 * of turning away a caller the limits admitted.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `decision.allowed` is
 *   not `false`.
 * @example
 * ```ts
 * import { toProblemResponse } from '@rampart/errors';
 * import { rateLimitedError, rateLimitHeaders } from '@rampart/rate-limiter';
 *
 * const decision = await limiter.consume(key);
 * if (!decision.allowed) {
 *   const { status, headers, body } = toProblemResponse(rateLimitedError(decision));
 *   response.writeHead(status, { ...rateLimitHeaders(decision), ...headers }).end(body);
 * }
 * ```
 */
export function rateLimitedError(decision: RateLimitDecision): RateLimitedError {
  if (typeof decision !== 'object' || decision === null || !Array.isArray(decision.policies)) {
    throw invalidArgument(
      'rateLimitedError',
      'decision',
      'must be a rate-limit decision',
      decision,
    );
  }
  if (decision.allowed !== false) {
    throw invalidArgument(
      'rateLimitedError',
      'decision.allowed',
      'must be false: only a rejected decision becomes a 429',
      decision.allowed,
    );
  }
  let chosen: readonly PolicyDecision[] = decision.policies.filter((policy) => !policy.allowed);
  if (chosen.length === 0) {
    chosen = decision.policies.filter((policy) => policy.name === decision.policy);
  }
  const policies: ViolatedPolicy[] = chosen.map(({ name, limit, windowMs }) => ({
    name,
    limit,
    windowMs,
  }));
  const described = policies
    .map(({ name, limit, windowMs }) => `"${name}" allows ${limit} per ${describeWindow(windowMs)}`)
    .join(', ');
  const wait = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
  return new RateLimitedError(`Too many requests: ${described}; retry in ${wait} s`, {
    retryAfterMs: decision.retryAfterMs,
    policies,
  });
}
