import { randomUUID } from 'node:crypto';
import {
  type Clock,
  clientIp,
  clockSchema,
  nonNegativeDurationMsSchema,
  parseOptions,
  systemClock,
  type TrustProxy,
} from '@rampart/errors';
import type { Logger as PinoLogger } from 'pino';
import * as z from 'zod';
import { publishSlowOperation } from './channels.ts';
import {
  type HttpRequestLevel,
  levelChooser,
  pathMatcher,
  STATUS_LEVEL_KEY,
} from './http-log-level.ts';
import type { HttpRequestLike, HttpResponseLike } from './http-types.ts';
import { type ContextFrame, contextStorage, createFrame } from './internal/context-storage.ts';
import { levelSchema } from './internal/destination-schema.ts';
import { pathOf } from './internal/http-facts.ts';
import {
  DEFAULT_LOGGED_HEADERS,
  SERIALIZED,
  serializeRequest,
} from './internal/http-serializers.ts';
import { loggerNameOf, stateOf } from './internal/logger-state.ts';
import { requestErrorOf } from './request-error.ts';

/** The handler {@link httpRequestLogger} returns: use it as middleware or call it first in a handler. */
export type HttpRequestLoggerHandler = (
  request: HttpRequestLike,
  response: HttpResponseLike,
  next?: (error?: unknown) => void,
) => void;

/** Options of {@link httpRequestLogger}. */
export interface HttpRequestLoggerOptions {
  /**
   * Makes a request id when the request brings no usable one. If it throws or returns
   * an empty value, a random UUID is used instead.
   * @default `crypto.randomUUID()` — unique without coordination between instances.
   */
  readonly genReqId?: (request: HttpRequestLike) => string;
  /**
   * Requests for which no line is written (health checks); they still get a request id and a context.
   * @default none ignored — every request is worth a line until you decide otherwise.
   */
  readonly ignore?: (request: HttpRequestLike) => boolean;
  /**
   * Paths for which no line is written, without their query string: exact (`/healthz`,
   * `/metrics`) or a prefix written as `/internal/*`. Checked before `ignore`.
   * @default none — every request is worth a line until you decide otherwise.
   */
  readonly ignorePaths?: readonly string[];
  /**
   * The level of a request's line: levels by status (`{ '4xx': 'info', '404': 'debug' }`,
   * the exact status winning over its class; slow and aborted requests stay at `warn` or
   * above) or a function of the outcome. `'silent'` writes no line. A function that throws
   * or answers something else than a level gets the default.
   * @default 5xx `error`; 4xx, slow or aborted `warn`; else `info`. With an error attached by
   *   {@link setRequestError}: `error` for an error that is not a Rampart error, else `warn`
   *   for 5xx and `info` for 4xx — `error` lines are then the unexpected failures only.
   */
  readonly level?: HttpRequestLevel;
  /**
   * Requests slower than this (in milliseconds) are logged at `warn` with `slow: true`
   * and published on `rampart:logger:slow-operation`.
   * @default `undefined` — no slowness warnings; levels follow the status only.
   */
  readonly slowMs?: number;
  /**
   * The header a request id is taken from and echoed on.
   * @default `'x-request-id'` — the de facto standard of proxies and load balancers.
   */
  readonly requestIdHeader?: string;
  /**
   * Request headers written to the line (case-insensitive). Credential-bearing ones
   * (`authorization`, `proxy-authorization`, `cookie`, `set-cookie`, `x-api-key`, and any
   * whose name speaks of auth, tokens, API keys, secrets, sessions, passwords, credentials or
   * signatures) are written as `"[Redacted]"` even when listed.
   * @default host, user-agent, content-type, content-length, accept, referer, x-request-id,
   *   x-forwarded-for, traceparent — enough to debug a request, never a credential.
   */
  readonly headers?: readonly string[];
  /**
   * Which proxies may tell the client's address, as
   * {@link @rampart/errors!clientIp | clientIp} reads it: `true` (every hop), a hop count, a
   * list of addresses and CIDR ranges, or a function. Give it the same value as your rate
   * limits' `clientIp` call, so logs and limits name the same client.
   *
   * @remarks
   * When set, it decides (Express's `req.ip` is not used). `true` believes the left-most
   * `X-Forwarded-For` entry, which any client can forge: prefer a hop count or the proxies'
   * networks.
   * @default `undefined` — Express's `req.ip` when present, else the socket's peer address,
   *   which a client cannot forge.
   */
  readonly trustProxy?: TrustProxy | undefined;
  /**
   * Measures durations.
   * @default {@link @rampart/errors!systemClock | systemClock} — the one clock every Rampart
   *   package reads, so an injected or faked clock moves every duration alike.
   */
  readonly clock?: Clock;
}

/** Whether `clientIp` accepts `value` as its `trustProxy` (it validates before reading anything). */
function isTrustProxy(value: unknown): boolean {
  try {
    clientIp({ headers: {}, socket: {} }, { trustProxy: value as TrustProxy });
    return true;
  } catch {
    return false;
  }
}

const functionOf = <T>() =>
  z.custom<T>((value) => typeof value === 'function', { error: 'must be a function' });

const optionsSchema = z.strictObject({
  genReqId: functionOf<(request: HttpRequestLike) => string>().optional(),
  ignore: functionOf<(request: HttpRequestLike) => boolean>().optional(),
  ignorePaths: z
    .array(z.string().startsWith('/', { error: 'must be paths starting with /' }))
    .optional(),
  level: z
    .union(
      [
        functionOf<Exclude<HttpRequestLevel, Record<string, unknown>>>(),
        z.record(
          z
            .string()
            .regex(STATUS_LEVEL_KEY, { error: "keys must be statuses ('404') or classes ('4xx')" }),
          levelSchema,
        ),
      ],
      { error: "must be a function or levels by status like { '4xx': 'info' }" },
    )
    .optional(),
  slowMs: nonNegativeDurationMsSchema.optional(),
  requestIdHeader: z
    .string()
    .regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, { error: 'must be a valid header name' })
    .optional(),
  headers: z.array(z.string().min(1)).optional(),
  trustProxy: z
    .custom<TrustProxy>(isTrustProxy, {
      error:
        'must be a boolean, a non-negative number of hops, a list of addresses or CIDR ranges, or a function',
    })
    .optional(),
  clock: clockSchema.optional(),
});

/** Incoming ids are echoed and logged: only short, printable, unambiguous ones are trusted. */
const REQUEST_ID_PATTERN = /^[\w.:@/+=-]{1,128}$/;

function round(milliseconds: number): number {
  return Math.round(milliseconds * 100) / 100;
}

/**
 * Creates request logging for `node:http`, Express and Connect (no framework needed):
 * takes the request id from `x-request-id` or creates one, echoes it on the response,
 * runs the rest of the request inside a log context carrying `requestId` (so every line
 * written while handling it has the id), and writes one line per request when the
 * response finishes or the connection closes: method, path, route (Express), status,
 * duration, client address, allow-listed headers and the error attached with
 * {@link setRequestError}. The level follows the outcome: 5xx `error`; 4xx, slow or aborted
 * `warn`; else `info`; with an error attached, `error` only for an unexpected one (change it
 * with `level`; skip health checks and scrapes with `ignorePaths`).
 *
 * With `next` (Express, Connect) the rest of the chain runs inside the context. Without it
 * (plain `node:http`) the context is entered for the rest of the current handler; prefer
 * passing your handler as `next` there too.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when an option is invalid.
 *
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createLogger, httpRequestLogger } from '@rampart/logger';
 *
 * const logger = createLogger({ name: 'api' });
 * const logRequests = httpRequestLogger(logger, {
 *   slowMs: 500,
 *   level: { '4xx': 'info' }, // a client's mistake is not our problem
 *   ignorePaths: ['/healthz', '/metrics'],
 * });
 *
 * createServer((req, res) => logRequests(req, res, () => handle(req, res))).listen(3000);
 * // Express: app.use(logRequests)
 * ```
 */
export function httpRequestLogger(
  logger: PinoLogger,
  options: HttpRequestLoggerOptions = {},
): HttpRequestLoggerHandler {
  const parsed = parseOptions(optionsSchema, options, 'httpRequestLogger');
  const header = (parsed.requestIdHeader ?? 'x-request-id').toLowerCase();
  const allowedHeaders = new Set(
    (parsed.headers ?? DEFAULT_LOGGED_HEADERS).map((name) => name.toLowerCase()),
  );
  const { genReqId, ignore, slowMs } = parsed;
  const levelOf = levelChooser(parsed.level as HttpRequestLevel | undefined);
  const isIgnoredPath = pathMatcher(parsed.ignorePaths ?? []);
  const trustProxy = parsed.trustProxy;
  const clock = parsed.clock ?? systemClock;
  const name = loggerNameOf(logger);
  // Loggers made by createLogger write requestId from the context; a plain pino logger needs it in the fields.
  const contextWritesRequestId = stateOf(logger) !== undefined;

  const requestIdOf = (request: HttpRequestLike): string => {
    const incoming = request.headers[header];
    const candidate = Array.isArray(incoming) ? incoming[0] : incoming;
    if (typeof candidate === 'string' && REQUEST_ID_PATTERN.test(candidate)) return candidate;
    if (genReqId === undefined) return randomUUID();
    try {
      const generated = genReqId(request);
      return typeof generated === 'string' && generated !== '' ? generated : randomUUID();
    } catch {
      return randomUUID(); // a broken generator must not fail the request
    }
  };

  const isIgnored = (request: HttpRequestLike): boolean => {
    if (isIgnoredPath(pathOf(request.originalUrl ?? request.url))) return true;
    if (ignore === undefined) return false;
    try {
      return ignore(request) === true;
    } catch {
      return false; // when in doubt, log
    }
  };

  const log = (
    request: HttpRequestLike,
    response: HttpResponseLike,
    requestId: string,
    durationMs: number,
    aborted: boolean,
  ): void => {
    const statusCode = response.statusCode;
    const slow = slowMs !== undefined && durationMs > slowMs;
    const failure = requestErrorOf(response);
    const level = levelOf({ statusCode, durationMs, slow, aborted, request, failure });
    if (level === 'silent') return;
    const serialized = serializeRequest(request, allowedHeaders, trustProxy);
    const fields = {
      ...(contextWritesRequestId ? {} : { requestId }),
      req: serialized,
      res: { statusCode, [SERIALIZED]: true },
      durationMs,
      ...(failure === undefined ? {} : { err: failure.error }),
      ...(slow ? { slow: true } : {}),
      ...(aborted ? { aborted: true } : {}),
    };
    const message = aborted
      ? `${serialized.method} ${serialized.path} aborted after ${durationMs} ms`
      : `${serialized.method} ${serialized.path} ${statusCode} in ${durationMs} ms`;
    logger[level](fields, message);
    if (slow) {
      const route = serialized.route === undefined ? '' : ` ${serialized.route}`;
      publishSlowOperation({
        name,
        operation: `HTTP ${serialized.method}${route}`,
        durationMs,
        slowMs,
        failed: statusCode >= 500 || aborted,
      });
    }
  };

  return function logRequest(request, response, next) {
    const started = clock.now();
    const requestId = requestIdOf(request);
    if (!response.headersSent) response.setHeader(header, requestId);
    const parent = contextStorage.getStore();
    const frame: ContextFrame = createFrame(
      Object.freeze(parent === undefined ? { requestId } : { ...parent.bindings, requestId }),
    );
    if (!isIgnored(request)) {
      let logged = false;
      const finish = (aborted: boolean): void => {
        if (logged) return;
        logged = true;
        const durationMs = round(clock.now() - started);
        contextStorage.run(frame, log, request, response, requestId, durationMs, aborted);
      };
      response.once('finish', () => finish(false));
      response.once('close', () => finish(true));
    }
    if (typeof next === 'function') contextStorage.run(frame, next);
    else contextStorage.enterWith(frame);
  };
}
