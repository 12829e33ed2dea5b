import { invalidArgument } from '@rampart/errors';
import type { RateLimitDecision } from './decision.ts';
import { type RateLimitHeadersOptions, rateLimitHeaders } from './rate-limit-headers.ts';

/**
 * What {@link applyRateLimitHeaders} writes to: anything with node's
 * `setHeader(name, value)`, such as a `node:http` or `node:http2` compatibility
 * `ServerResponse`, an Express `res` or Fastify's `reply.raw`.
 */
export interface HeaderTarget {
  /** Sets one response header, replacing any earlier value of that name. */
  setHeader(name: string, value: string): unknown;
  /** Whether the headers went out already (node's `ServerResponse` has it). */
  readonly headersSent?: boolean | undefined;
}

/**
 * Sets the headers of {@link rateLimitHeaders} on a response, one `setHeader` call each, and
 * returns them.
 *
 * @remarks
 * `rateLimitHeaders` returns a plain record, which `writeHead` takes as it is but
 * `response.setHeaders` (a `Map` or `Headers` only) does not: this writes the record to any
 * response with `setHeader`, so a handler sets them before deciding its status, and a later
 * `writeHead(429, problemHeaders)` keeps them.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `response` has no
 *   `setHeader` method or has sent its headers already (`headersSent`), or `decision` is not
 *   a decision.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { applyRateLimitHeaders, clientIp, createRateLimiter } from '@rampart/rate-limiter';
 *
 * const limiter = createRateLimiter();
 * createServer(async (request, response) => {
 *   const decision = await limiter.consume(clientIp(request));
 *   applyRateLimitHeaders(response, decision);
 *   response.writeHead(decision.allowed ? 200 : 429).end();
 * });
 * ```
 */
export function applyRateLimitHeaders(
  response: HeaderTarget,
  decision: RateLimitDecision,
  options: RateLimitHeadersOptions = {},
): Record<string, string> {
  if (
    typeof response !== 'object' ||
    response === null ||
    typeof response.setHeader !== 'function'
  ) {
    throw invalidArgument(
      'applyRateLimitHeaders',
      'response',
      'must have a setHeader(name, value) method',
      response,
    );
  }
  if (response.headersSent === true) {
    throw invalidArgument(
      'applyRateLimitHeaders',
      'response.headersSent',
      'must be false: set rate-limit headers before the response is written',
      true,
    );
  }
  if (typeof decision !== 'object' || decision === null || !Array.isArray(decision.policies)) {
    throw invalidArgument(
      'applyRateLimitHeaders',
      'decision',
      'must be a rate-limit decision',
      decision,
    );
  }
  const headers = rateLimitHeaders(decision, options);
  for (const name in headers) response.setHeader(name, headers[name] as string);
  return headers;
}
