import type { ServerResponse } from 'node:http';
import { toProblemResponse } from '@rampart/errors';

/** Sends `body` as JSON with `status`; headers set earlier (security, rate limit) stay. */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response
    .writeHead(status, {
      ...headers,
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(text)),
    })
    .end(text);
}

/**
 * Renders any error as RFC 9457 problem details through `toProblemResponse`: the status and
 * `retry-after` come from the error, 5xx messages never reach the client, and the request
 * path is the problem's `instance`. When the response has already started, the connection is
 * cut instead: half a body must not look like a whole one.
 */
export function sendProblem(response: ServerResponse, error: unknown, instance: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  const problem = toProblemResponse(error, { instance });
  response
    .writeHead(problem.status, {
      ...problem.headers,
      'content-length': String(Buffer.byteLength(problem.body)),
      'cache-control': 'no-store',
    })
    .end(problem.body);
}
