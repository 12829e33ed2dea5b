import { STATUS_CODES } from 'node:http';
import { InternalError, type ValidationIssue } from './built-in-errors.ts';
import { defaultJsonSafeLimits, toJsonSafe, truncate } from './internal/json-safe.ts';
import type { JsonObject } from './json.ts';
import { normalizeError } from './normalize-error.ts';
import type { RampartError } from './rampart-error.ts';
import { DEFAULT_PROBLEM_TYPE_BASE_URI, errorRegistry } from './registry.ts';

/**
 * The longest wait a problem tells a client: one day. A larger (or infinite) `retryAfterMs`
 * is capped to it, so `retry-after` is always a small delay-seconds integer.
 */
const MAX_RETRY_AFTER_MS = 86_400_000;
const MAX_TEXT_LENGTH = 1_000;

/** The media type of a problem details document. */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * An RFC 9457 Problem Details document, with Rampart's extension members: `code` always,
 * `retryAfterMs` when known, and for exposed errors `issues`, `violated-policies` and
 * `details`.
 */
export interface ProblemDetails {
  /** URI identifying the problem type (the code's row in the errors guide by default). */
  type: string;
  /** Short summary of the problem type; the same for every occurrence of a code. */
  title: string;
  /** The HTTP status code. */
  status: number;
  /** Explanation of this occurrence: the error's message, only when it is exposed. */
  detail?: string;
  /** URI reference identifying this occurrence (for example the request path or id). */
  instance?: string;
  /** The stable Rampart error code. */
  code: string;
  /** Milliseconds after which the client may try again. */
  retryAfterMs?: number;
  /** Every invalid field (validation errors). */
  issues?: ValidationIssue[];
  /**
   * Names of the rate-limit policies that rejected the request, as the IETF RateLimit
   * draft's `quota-exceeded` problem type defines it.
   */
  'violated-policies'?: string[];
  /** The error's public details. */
  details?: JsonObject;
}

/** Options of {@link toProblem}. */
export interface ToProblemOptions {
  /**
   * Base URI for problem types; the type is this base plus the lower-case code.
   *
   * @remarks
   * Set it to the page that documents your API's errors (`https://api.example.com/docs/errors#`),
   * so a client following a problem's `type` reaches your documentation. Codes whose class
   * names its own absolute `type` (`E_RATE_LIMITED`) keep it.
   *
   * @default {@link DEFAULT_PROBLEM_TYPE_BASE_URI} — Rampart's own errors guide, fine while
   *   developing, but a public API should document its own errors.
   */
  readonly typeBaseUri?: string | undefined;
  /** The `instance` member: a URI reference for this occurrence. */
  readonly instance?: string | undefined;
}

/**
 * Projects any thrown value onto RFC 9457 Problem Details that are safe to send to a
 * client. It never includes a stack, a cause, internal `context`, or the message of an
 * error that is not exposed (5xx errors by default); anything that is not a Rampart error
 * is treated as an `E_INTERNAL` 500.
 *
 * @example
 * ```ts
 * import { toProblem, PROBLEM_CONTENT_TYPE, NotFoundError } from '@rampart/errors';
 *
 * const problem = toProblem(new NotFoundError('No user 42'), { instance: '/users/42' });
 * // { type: '…#e_not_found', title: 'Not Found', status: 404, detail: 'No user 42',
 * //   instance: '/users/42', code: 'E_NOT_FOUND' }
 * response.writeHead(problem.status, { 'content-type': PROBLEM_CONTENT_TYPE });
 * response.end(JSON.stringify(problem));
 * ```
 */
export function toProblem(error: unknown, options: ToProblemOptions = {}): ProblemDetails {
  try {
    return project(normalizeError(error), options);
  } catch {
    return project(new InternalError(), options);
  }
}

function project(normalized: RampartError, options: ToProblemOptions): ProblemDetails {
  const entry = errorRegistry.get(normalized.code);
  const status = validStatus(normalized.status);
  const ownType = entry?.errorClass.definition.type;
  const problem: ProblemDetails = {
    type:
      ownType ??
      `${options.typeBaseUri ?? DEFAULT_PROBLEM_TYPE_BASE_URI}${normalized.code.toLowerCase()}`,
    title: entry?.title ?? STATUS_CODES[status] ?? 'Error',
    status,
    code: normalized.code,
  };
  const exposed = normalized.expose === true;
  if (exposed && typeof normalized.message === 'string' && normalized.message !== '') {
    problem.detail = normalized.message;
  }
  if (options.instance !== undefined) problem.instance = options.instance;
  const extra = normalized as unknown as Record<string, unknown>;
  const retryAfterMs = extra.retryAfterMs;
  if (typeof retryAfterMs === 'number' && retryAfterMs >= 0) {
    problem.retryAfterMs = Math.min(Math.ceil(retryAfterMs), MAX_RETRY_AFTER_MS);
  }
  if (!exposed) return problem;
  const issues = sanitizeIssues(extra.issues);
  if (issues.length > 0) problem.issues = issues;
  const policies = policyNames(extra.policies);
  if (policies.length > 0) problem['violated-policies'] = policies;
  const details = toJsonSafe(normalized.details, defaultJsonSafeLimits, { public: true });
  if (isNonEmptyObject(details)) problem.details = details;
  return problem;
}

/** The pieces of an HTTP response carrying a problem: status, headers and JSON body. */
export interface ProblemResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * Renders any thrown value as a ready-to-send HTTP response: the problem status, a
 * `content-type` of `application/problem+json`, `retry-after` (whole seconds, capped at one day) when the error
 * says when to retry, and the JSON body of {@link toProblem}.
 *
 * @example
 * ```ts
 * import { toProblemResponse } from '@rampart/errors';
 *
 * const { status, headers, body } = toProblemResponse(error, { instance: request.url });
 * response.writeHead(status, headers).end(body);
 * ```
 */
export function toProblemResponse(error: unknown, options: ToProblemOptions = {}): ProblemResponse {
  const problem = toProblem(error, options);
  const headers: Record<string, string> = { 'content-type': PROBLEM_CONTENT_TYPE };
  if (problem.retryAfterMs !== undefined) {
    headers['retry-after'] = String(Math.ceil(problem.retryAfterMs / 1000));
  }
  return { status: problem.status, headers, body: JSON.stringify(problem) };
}

function validStatus(status: unknown): number {
  return typeof status === 'number' && Number.isInteger(status) && status >= 400 && status <= 599
    ? status
    : 500;
}

function isNonEmptyObject(value: unknown): value is JsonObject {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.keys(value).length > 0
  );
}

function sanitizeIssues(value: unknown): ValidationIssue[] {
  return records(value).flatMap(({ path, message, code }) =>
    typeof path === 'string' && typeof message === 'string' && typeof code === 'string'
      ? [
          {
            path: truncate(path, MAX_TEXT_LENGTH),
            message: truncate(message, MAX_TEXT_LENGTH),
            code: truncate(code, MAX_TEXT_LENGTH),
          },
        ]
      : [],
  );
}

function policyNames(value: unknown): string[] {
  return records(value).flatMap(({ name }) =>
    typeof name === 'string' ? [truncate(name, MAX_TEXT_LENGTH)] : [],
  );
}

/** The object items of a list, at most 100: the allow-list checks each member's type. */
function records(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  return (value.slice(0, 100) as unknown[]).filter(
    (item): item is Record<string, unknown> => typeof item === 'object' && item !== null,
  );
}
