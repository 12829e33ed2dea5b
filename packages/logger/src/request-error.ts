import type { HttpResponseLike } from './http-types.ts';

/** Errors attached to responses, read once when the request line is written. */
const requestErrors = new WeakMap<object, unknown>();

/**
 * Attaches the error a request failed with to its response, so {@link httpRequestLogger}
 * writes it on the request's own line (as `err`, with code, cause and stack) instead of a
 * second line.
 *
 * @remarks
 * With an error attached the default level says whether the failure was expected: an error
 * that is not a Rampart error (a bug, an untranslated dependency failure) is `error`; a
 * Rampart error is `warn` for a 5xx status (a dependency down, a circuit open: handled and
 * answered) and `info` for a 4xx one (the client's mistake or its limit). A `level` option
 * sees the error in its outcome. The last error attached wins; attaching none changes nothing.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { toProblemResponse } from '@rampart/errors';
 * import { createLogger, httpRequestLogger, setRequestError } from '@rampart/logger';
 *
 * const logger = createLogger({ name: 'api' });
 * const logRequests = httpRequestLogger(logger);
 * declare function handle(request: unknown, response: unknown): Promise<void>;
 *
 * createServer((request, response) => {
 *   logRequests(request, response, () => {
 *     handle(request, response).catch((error: unknown) => {
 *       setRequestError(response, error); // one line per request, carrying the error
 *       const problem = toProblemResponse(error, { instance: request.url ?? '/' });
 *       response.writeHead(problem.status, problem.headers).end(problem.body);
 *     });
 *   });
 * });
 * ```
 */
export function setRequestError(response: HttpResponseLike, error: unknown): void {
  if (typeof response === 'object' && response !== null) requestErrors.set(response, error);
}

/** The error attached to `response`, if any (`undefined` otherwise). */
export function requestErrorOf(
  response: HttpResponseLike,
): { readonly error: unknown } | undefined {
  return requestErrors.has(response) ? { error: requestErrors.get(response) } : undefined;
}
