import { createHash, timingSafeEqual } from 'node:crypto';
import type { Cache } from '@rampart/cache';
import type { CircuitBreaker } from '@rampart/circuit-breaker';
import { fromZodError, UnauthorizedError } from '@rampart/errors';
import type { Logger } from '@rampart/logger';
import * as z from 'zod';
import { readJsonBody } from './body.ts';
import { sendJson } from './respond.ts';
import type { RequestContext, Route } from './router.ts';
import type { Upstream } from './upstream.ts';

const upstreamChanges = z.strictObject({
  latencyMs: z
    .int({ error: 'must be an integer from 0 to 60000' })
    .min(0, { error: 'must be an integer from 0 to 60000' })
    .max(60_000, { error: 'must be an integer from 0 to 60000' })
    .optional(),
  jitterMs: z
    .int({ error: 'must be an integer from 0 to 60000' })
    .min(0, { error: 'must be an integer from 0 to 60000' })
    .max(60_000, { error: 'must be an integer from 0 to 60000' })
    .optional(),
  errorRate: z
    .number({ error: 'must be a number from 0 to 1' })
    .min(0, { error: 'must be a number from 0 to 1' })
    .max(1, { error: 'must be a number from 0 to 1' })
    .optional(),
  outage: z
    .enum(['none', 'errors', 'timeouts'], { error: 'must be none, errors or timeouts' })
    .optional(),
});

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** What the admin surface controls and reports. */
export interface AdminSources {
  readonly token: string;
  readonly upstream: Upstream;
  readonly breaker: CircuitBreaker<[string], unknown>;
  readonly cache: Cache;
  readonly maxBodyBytes: number;
  readonly logger: Logger;
}

/**
 * The admin surface, only mounted when an admin token is configured: `GET /admin/status`
 * (upstream settings and counters, breaker and cache statistics) and `PUT /admin/upstream`
 * (change the simulated upstream's latency, error rate or outage at run time). Callers
 * authenticate with `Authorization: Bearer <token>`, compared in constant time; failed
 * attempts are rate limited like any other request.
 */
export function adminRoutes(sources: AdminSources): Route[] {
  const expected = digest(`Bearer ${sources.token}`);
  const authenticate = ({ request, response }: RequestContext): void => {
    const given = digest(request.headers.authorization ?? '');
    if (!timingSafeEqual(given, expected)) {
      response.setHeader('www-authenticate', 'Bearer realm="admin"');
      throw new UnauthorizedError('A valid admin bearer token is required');
    }
  };
  const status = () => ({
    upstream: { settings: sources.upstream.settings(), stats: sources.upstream.stats() },
    breaker: sources.breaker.stats(),
    cache: sources.cache.stats(),
  });
  return [
    {
      method: 'GET',
      template: '/admin/status',
      limited: true,
      logged: true,
      handle: (context) => {
        authenticate(context);
        sendJson(context.response, 200, status());
      },
    },
    {
      method: 'PUT',
      template: '/admin/upstream',
      limited: true,
      logged: true,
      handle: async (context) => {
        authenticate(context);
        const { request, response, signal } = context;
        const body = await readJsonBody(request, response, sources.maxBodyBytes, signal);
        const parsed = upstreamChanges.safeParse(body);
        if (!parsed.success) {
          throw fromZodError(parsed.error, { input: body, where: 'Invalid upstream settings' });
        }
        const changes = Object.fromEntries(
          Object.entries(parsed.data).filter(([, value]) => value !== undefined),
        );
        const settings = sources.upstream.update(changes);
        sources.logger.info({ upstream: settings }, 'upstream settings changed by an admin');
        sendJson(response, 200, { settings });
      },
    },
  ];
}
