import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import type { BoundGauge } from './gauge.ts';
import { bucketsSchema } from './internal/config-schemas.ts';
import { errorTypeOf } from './internal/error-type.ts';
import { internalsOf } from './internal/lifecycle.ts';
import type { Metrics } from './metrics.ts';

/**
 * The OpenTelemetry advisory buckets of `http.server.request.duration`, in seconds.
 * prom-client's defaults lack 0.075, 0.75 and 7.5, so quantiles from the two disagree.
 */
export const HTTP_SERVER_DURATION_BUCKETS: readonly number[] = Object.freeze([
  0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10,
]);

/** The request methods OpenTelemetry knows (RFC 9110 and PATCH); any other becomes `_OTHER`. */
export const HTTP_KNOWN_METHODS: readonly string[] = Object.freeze([
  'CONNECT',
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'PATCH',
  'POST',
  'PUT',
  'TRACE',
]);

/** The `http_request_method` of a method outside the known ones, as OpenTelemetry names it. */
export const OTHER_METHOD = '_OTHER';

/** The `http_route` of a request no route template was found for: one value, never the raw path. */
export const UNMATCHED_ROUTE = '_UNMATCHED';

/** Names of the metrics of {@link httpServerMetrics}, before the instance prefix. */
export const httpServerMetricNames: {
  readonly duration: 'http_server_request_duration_seconds';
  readonly active: 'http_server_active_requests';
} = {
  duration: 'http_server_request_duration_seconds',
  active: 'http_server_active_requests',
} as const;

/** Options of {@link httpServerMetrics}. */
export interface HttpServerMetricsOptions {
  /**
   * The route template of a request (`/users/:id`), read when the response ends. Return
   * `undefined` when no route matched; the request is then labelled {@link UNMATCHED_ROUTE}.
   * Never return the raw path: every distinct id would become a series.
   * @default Express's `request.baseUrl + request.route.path` when present, otherwise
   *   {@link UNMATCHED_ROUTE} — plain `node:http` has no routes, so pass your router's.
   */
  readonly routeOf?: (request: IncomingMessage, response: ServerResponse) => string | undefined;
  /**
   * Methods kept as they are; others become `_OTHER`.
   * @default {@link HTTP_KNOWN_METHODS}.
   */
  readonly knownMethods?: readonly string[];
  /**
   * Buckets of the duration histogram.
   * @default {@link HTTP_SERVER_DURATION_BUCKETS} — OpenTelemetry's advisory buckets.
   */
  readonly buckets?: readonly number[];
}

/**
 * The middleware returned by {@link httpServerMetrics}: call it at the start of every request.
 */
export interface HttpServerMetricsMiddleware {
  /** Starts measuring a request; calls `next()` when given (Express, Connect). Safe to call twice. */
  (request: IncomingMessage, response: ServerResponse, next?: (error?: unknown) => void): void;
  /**
   * Labels the request's `error_type` with the error's Rampart `code` (`E_INTERNAL` for
   * foreign errors). Call it where your handler turns an error into a response.
   */
  recordError(response: ServerResponse, error: unknown): void;
  /**
   * Express/Connect error middleware: records the error like
   * {@link HttpServerMetricsMiddleware.recordError} and passes it on with `next(error)`.
   */
  readonly errorHandler: (
    error: unknown,
    request: IncomingMessage,
    response: ServerResponse,
    next: (error?: unknown) => void,
  ) => void;
}

const optionsSchema = z.strictObject({
  routeOf: z
    .custom<NonNullable<HttpServerMetricsOptions['routeOf']>>(
      (value) => typeof value === 'function',
      {
        error: 'must be a function',
      },
    )
    .optional(),
  knownMethods: z
    .array(
      z.string({ error: 'must be a method name' }).min(1, { error: 'must be a method name' }),
      {
        error: 'must be an array of method names',
      },
    )
    .optional(),
  buckets: bucketsSchema.optional(),
});

interface RequestState {
  readonly startMs: number;
  readonly method: string;
  readonly active: BoundGauge;
  errorType: string | undefined;
}

/**
 * HTTP server metrics following the OpenTelemetry semantic conventions, for `node:http`,
 * Express and Connect: `http_server_request_duration_seconds` (histogram labelled
 * `http_request_method`, `http_route`, `http_response_status_code`, `error_type`) and
 * `http_server_active_requests` (gauge labelled `http_request_method`). `error_type` is the
 * recorded Rampart error code, else `aborted` when the client went away before the response
 * ended, else the status code of a 5xx, else empty. Calling it twice on one instance shares
 * the metrics.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid, or when the metric names are
 *   registered with another shape.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createMetrics, httpServerMetrics } from '@rampart/metrics';
 *
 * const metrics = createMetrics();
 * const observe = httpServerMetrics(metrics, {
 *   routeOf: (request) => (request.url?.startsWith('/users/') ? '/users/:id' : undefined),
 * });
 * const scrape = metrics.handler();
 *
 * createServer((request, response) => {
 *   if (request.url === '/metrics') return scrape(request, response);
 *   observe(request, response);
 *   response.end('ok');
 * }).listen(3000);
 * ```
 */
export function httpServerMetrics(
  metrics: Metrics,
  options: HttpServerMetricsOptions = {},
): HttpServerMetricsMiddleware {
  const { clock } = internalsOf(metrics, 'httpServerMetrics');
  const parsed = parseOptions(optionsSchema, options, 'httpServerMetrics');
  const routeOf = parsed.routeOf ?? expressRoute;
  const knownMethods = new Set(parsed.knownMethods ?? HTTP_KNOWN_METHODS);
  const duration = metrics.histogram({
    name: httpServerMetricNames.duration,
    help: 'Duration of HTTP server requests.',
    labelNames: ['http_request_method', 'http_route', 'http_response_status_code', 'error_type'],
    buckets: parsed.buckets ?? HTTP_SERVER_DURATION_BUCKETS,
  });
  const active = metrics.gauge({
    name: httpServerMetricNames.active,
    help: 'Number of active HTTP server requests.',
    labelNames: ['http_request_method'],
  });
  const activeByMethod = new Map<string, BoundGauge>();
  const states = new WeakMap<ServerResponse, RequestState>();

  const finish = (
    request: IncomingMessage,
    response: ServerResponse,
    state: RequestState,
  ): void => {
    state.active.dec();
    const sent = response.headersSent;
    const status = sent ? response.statusCode : 0;
    const errorType =
      state.errorType ??
      (!response.writableFinished ? 'aborted' : status >= 500 ? String(status) : '');
    duration.observe(
      {
        http_request_method: state.method,
        http_route: routeLabel(routeOf, request, response),
        http_response_status_code: sent ? String(status) : '',
        error_type: errorType,
      },
      (clock.now() - state.startMs) / 1000,
    );
  };

  const middleware = (
    request: IncomingMessage,
    response: ServerResponse,
    next?: (error?: unknown) => void,
  ): void => {
    if (!states.has(response)) {
      const method = knownMethods.has(request.method ?? '')
        ? (request.method as string)
        : OTHER_METHOD;
      let gauge = activeByMethod.get(method);
      if (gauge === undefined) {
        gauge = active.bind({ http_request_method: method });
        activeByMethod.set(method, gauge);
      }
      gauge.inc();
      const state: RequestState = {
        startMs: clock.now(),
        method,
        active: gauge,
        errorType: undefined,
      };
      states.set(response, state);
      response.once('close', () => finish(request, response, state));
    }
    next?.();
  };
  const recordError = (response: ServerResponse, error: unknown): void => {
    const state = states.get(response);
    if (state !== undefined) state.errorType = errorTypeOf(error);
  };
  const errorHandler = (
    error: unknown,
    _request: IncomingMessage,
    response: ServerResponse,
    next: (error?: unknown) => void,
  ): void => {
    recordError(response, error);
    next(error);
  };
  return Object.assign(middleware, { recordError, errorHandler });
}

function routeLabel(
  routeOf: (request: IncomingMessage, response: ServerResponse) => string | undefined,
  request: IncomingMessage,
  response: ServerResponse,
): string {
  let route: unknown;
  try {
    route = routeOf(request, response);
  } catch {
    return UNMATCHED_ROUTE;
  }
  return typeof route === 'string' && route !== '' ? route : UNMATCHED_ROUTE;
}

/** Express's route template: the router's mount path plus the matched route's path. */
function expressRoute(request: IncomingMessage): string | undefined {
  const { route, baseUrl } = request as IncomingMessage & {
    route?: { path?: unknown };
    baseUrl?: unknown;
  };
  if (typeof route !== 'object' || route === null || typeof route.path !== 'string')
    return undefined;
  return `${typeof baseUrl === 'string' ? baseUrl : ''}${route.path}`;
}
