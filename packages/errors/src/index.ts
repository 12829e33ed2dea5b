/**
 * One error taxonomy for Node.js services: stable codes, HTTP status, RFC 9457 problem
 * details, lossless serialisation across processes and option validation.
 *
 * @example
 * ```ts
 * import { NotFoundError, toProblemResponse } from '@rampart/errors';
 *
 * const problem = toProblemResponse(new NotFoundError('No user 42'), { instance: '/users/42' });
 * // problem.status === 404, problem.headers['content-type'] === 'application/problem+json'
 * ```
 *
 * @packageDocumentation
 * @module @rampart/errors
 */
export { isRampartError, RAMPART_ERROR_BRAND } from './brand.ts';
export type {
  IssuesErrorOptions,
  RateLimitedErrorOptions,
  RetryAfterErrorOptions,
  ValidationIssue,
  ViolatedPolicy,
} from './built-in-errors.ts';
export {
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from './built-in-errors.ts';
export type { ClientIpOptions, ClientRequestLike, TrustProxy } from './client-ip.ts';
export { clientIp } from './client-ip.ts';
export type { Clock } from './clock.ts';
export { systemClock } from './clock.ts';
export type { DefineErrorOptions } from './define-error.ts';
export { defineError } from './define-error.ts';
export { describeValue } from './describe-value.ts';
export { deserializeError } from './deserialize-error.ts';
export type {
  ErrorHandler,
  ErrorReporter,
  ErrorReporterOptions,
  ReportContext,
} from './error-reporter.ts';
export { createErrorReporter } from './error-reporter.ts';
export type { FromZodErrorOptions } from './from-zod-error.ts';
export { fromZodError } from './from-zod-error.ts';
export { invalidArgument } from './invalid-argument.ts';
export type { JsonObject, JsonValue } from './json.ts';
export { normalizeError } from './normalize-error.ts';
export {
  abortSignalSchema,
  clockSchema,
  durationMsSchema,
  isAbortSignalLike,
  isDurationMs,
  MAX_TIMER_DELAY_MS,
  nameSchema,
  nonNegativeDurationMsSchema,
  optionMessages,
  ratioSchema,
} from './option-schemas.ts';
export { parseOptions } from './parse-options.ts';
export type { ProblemDetails, ProblemResponse, ToProblemOptions } from './problem.ts';
export { PROBLEM_CONTENT_TYPE, toProblem, toProblemResponse } from './problem.ts';
export type { ErrorDefinition, RampartErrorClass, RampartErrorOptions } from './rampart-error.ts';
export { RampartError } from './rampart-error.ts';
export type { ErrorRegistry, ErrorRegistryEntry } from './registry.ts';
export { DEFAULT_PROBLEM_TYPE_BASE_URI, errorRegistry } from './registry.ts';
export type { SerializedError, SerializeErrorOptions } from './serialize-error.ts';
export { serializeError } from './serialize-error.ts';
export type { ErrorMapper } from './wrap-errors.ts';
export { wrapErrors } from './wrap-errors.ts';
