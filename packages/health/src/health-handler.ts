import type { IncomingMessage, ServerResponse } from 'node:http';
import { ConfigurationError } from '@rampart/errors';
import type { Health } from './create-health.ts';
import type { HealthReport } from './health-report.ts';
import type { HealthGroup } from './health-status.ts';
import { healthGroups } from './health-status.ts';
import { toHealthJson } from './internal/handler/health-json.ts';

/** The media type of the IETF health check response format. */
export const HEALTH_CONTENT_TYPE = 'application/health+json';

/**
 * Who sees the details of a report (check names, statuses, outputs, measurements):
 * everyone, no one, or the requests a function accepts (an internal network, a token).
 */
export type HealthDetails = 'always' | 'never' | ((request: IncomingMessage) => boolean);

/** Options of {@link healthHandler}. */
export interface HealthHandlerOptions {
  /**
   * The probe group to answer for; every check when omitted.
   *
   * @defaultValue every check
   */
  readonly group?: HealthGroup;
  /**
   * Who sees check names and outputs. Without details the body is only `{"status": …}`.
   *
   * @defaultValue `'never'`: check names and outputs describe your infrastructure; show them
   * to operators on purpose.
   */
  readonly details?: HealthDetails;
}

/** A `node:http` request handler, also usable as Express middleware. */
export type HealthRequestHandler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * Creates a `node:http` handler that answers a probe with the group's report as
 * `application/health+json`: `200` for `pass` and `warn`, `503` for `fail`.
 *
 * @remarks
 * The body follows the IETF "Health Check Response Format for HTTP APIs": `status`, and,
 * where `details` allows, `checks` keyed by check name with `status`, `time`, `output`,
 * `observedValue` and `observedUnit`. Error messages and stacks are never sent: a check that
 * threw shows only `failed` (or the code and message of a Rampart error marked safe to
 * expose). `HEAD` gets the status without a body, methods other than `GET` and `HEAD` get
 * `405`. A request that goes away stops the wait. Works as-is with `node:http` and Express;
 * with Fastify, call it with `request.raw` and `reply.raw` after `reply.hijack()`.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `health` is
 * not a registry, or `group` or `details` is invalid.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createHealth, healthHandler } from '@rampart/health';
 *
 * const health = createHealth();
 * const live = healthHandler(health, { group: 'liveness' });
 * const ready = healthHandler(health, { group: 'readiness', details: 'always' });
 * const server = createServer((request, response) => {
 *   if (request.url === '/livez') return live(request, response);
 *   if (request.url === '/readyz') return ready(request, response);
 *   response.writeHead(404).end();
 * });
 * server.listen(0);
 * ```
 */
export function healthHandler(
  health: Health,
  options: HealthHandlerOptions = {},
): HealthRequestHandler {
  if (typeof (health as Partial<Health> | null)?.check !== 'function') {
    throw new ConfigurationError('healthHandler: `health` must be a registry from createHealth');
  }
  const { group, details = 'never' } = options ?? {};
  if (group !== undefined && !healthGroups.includes(group)) {
    throw new ConfigurationError(
      `healthHandler: \`group\` must be liveness, readiness or startup (got ${String(group)})`,
    );
  }
  if (details !== 'always' && details !== 'never' && typeof details !== 'function') {
    throw new ConfigurationError(
      'healthHandler: `details` must be always, never or a function of the request',
    );
  }
  const showDetails = (request: IncomingMessage): boolean => {
    if (details === 'always') return true;
    if (details === 'never') return false;
    try {
      return details(request) === true;
    } catch {
      return false;
    }
  };

  return (request, response) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-length': '0' }).end();
      return;
    }
    const controller = new AbortController();
    const onClose = (): void => {
      if (!response.writableFinished) controller.abort();
    };
    response.once('close', onClose);
    health.check(group, { signal: controller.signal }).then(
      (report) => send(request, response, report, showDetails(request)),
      () => {
        if (!controller.signal.aborted) send(request, response, undefined, false);
      },
    );
  };
}

function send(
  request: IncomingMessage,
  response: ServerResponse,
  report: HealthReport | undefined,
  details: boolean,
): void {
  if (response.headersSent || response.destroyed) return;
  const status = report?.status ?? 'fail';
  const body = JSON.stringify(toHealthJson(status, report, details));
  response.writeHead(status === 'fail' ? 503 : 200, {
    'content-type': HEALTH_CONTENT_TYPE,
    'cache-control': 'no-store',
    'content-length': String(Buffer.byteLength(body)),
  });
  response.end(request.method === 'HEAD' ? undefined : body);
}
