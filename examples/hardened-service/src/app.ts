import type { IncomingMessage, ServerResponse } from 'node:http';
import { NotFoundError, TimeoutError } from '@rampart/errors';
import { setRequestError, withLogContext } from '@rampart/logger';
import {
  applyRateLimitHeaders,
  ipKey,
  type RateLimiter,
  rateLimitedError,
} from '@rampart/rate-limiter';
import { MethodNotAllowedError } from './errors.ts';
import { sendProblem } from './respond.ts';
import type { RouteMatch, RouteRecorder } from './router.ts';
import { applySecurityHeaders } from './security-headers.ts';
import type { Telemetry } from './telemetry.ts';

/** What the request pipeline is built from. */
export interface AppParts {
  readonly match: (method: string, path: string) => RouteMatch;
  readonly routes: RouteRecorder;
  readonly limiter: RateLimiter;
  readonly telemetry: Telemetry;
  readonly clientAddressOf: (request: IncomingMessage) => string;
  readonly requestDeadlineMs: number;
  /** Aborts every request still running when a shutdown runs out of time. */
  readonly shutdownSignal: AbortSignal;
}

/** The request's path and query; a malformed target is treated as `/`. */
function parseTarget(request: IncomingMessage): { path: string; query: URLSearchParams } {
  try {
    const url = new URL(request.url ?? '/', 'http://service.invalid');
    return { path: url.pathname, query: url.searchParams };
  } catch {
    return { path: '/', query: new URLSearchParams() };
  }
}

/**
 * The request pipeline, in order: security headers; RED metrics; a log context with the
 * client's address and a request id (echoed as `x-request-id`) and one log line per request;
 * routing (`404`, `405` with `Allow`); the per-client rate limit (draft-10 `RateLimit`
 * headers on every limited route, `429` problem+json with `Retry-After` when over); a
 * deadline signal for the handler; and every error rendered as problem+json, counted in the
 * metrics' `error_type` and logged when it is the service's fault (5xx).
 */
export function createApp(
  parts: AppParts,
): (request: IncomingMessage, response: ServerResponse) => void {
  const { match, routes, limiter, telemetry, clientAddressOf, requestDeadlineMs, shutdownSignal } =
    parts;

  const run = async (
    request: IncomingMessage,
    response: ServerResponse,
    clientAddress: string,
    target: { path: string; query: URLSearchParams },
    found: RouteMatch,
  ): Promise<void> => {
    const { path, query } = target;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      controller.abort(
        new TimeoutError(`The request did not complete within ${requestDeadlineMs} ms`),
      );
    }, requestDeadlineMs);
    timer.unref();
    const onClose = (): void => {
      if (!response.writableFinished) {
        controller.abort(new DOMException('The client went away', 'AbortError'));
      }
    };
    response.once('close', onClose);
    // Listening (and unlistening) by hand: the shutdown signal lives as long as the server.
    const onShutdown = (): void => controller.abort(shutdownSignal.reason);
    if (shutdownSignal.aborted) onShutdown();
    else shutdownSignal.addEventListener('abort', onShutdown, { once: true });
    const { signal } = controller;
    try {
      if (found.kind === 'not-found') throw new NotFoundError(`No route for ${path}`);
      if (found.kind === 'method-not-allowed') {
        response.setHeader('allow', found.allowed.join(', '));
        throw new MethodNotAllowedError(`${request.method} is not allowed on ${path}`);
      }
      const { route, params } = found;
      if (route.limited) {
        const decision = await limiter.consume(ipKey(clientAddress), { signal });
        applyRateLimitHeaders(response, decision);
        if (!decision.allowed) throw rateLimitedError(decision);
      }
      await route.handle({ request, response, path, query, params, clientAddress, signal });
    } catch (caught) {
      // A deadline or shutdown that fired while waiting explains the failure better.
      const error = signal.aborted && !response.headersSent ? signal.reason : caught;
      if (response.destroyed) return;
      telemetry.observe.recordError(response, error);
      sendProblem(response, error, path);
      setRequestError(response, error); // one line per request, error level only if unexpected
    } finally {
      clearTimeout(timer);
      response.off('close', onClose);
      shutdownSignal.removeEventListener('abort', onShutdown);
    }
  };

  return (request, response) => {
    applySecurityHeaders(response);
    telemetry.observe(request, response);
    const target = parseTarget(request);
    const found = match(request.method ?? 'GET', target.path);
    routes.record(request, found);
    const clientAddress = clientAddressOf(request);
    withLogContext({ clientAddress }, () => {
      telemetry.logRequests(request, response, () => {
        run(request, response, clientAddress, target, found).catch(() => {
          response.destroy(); // rendering the error failed: cut the connection
        });
      });
    });
  };
}
