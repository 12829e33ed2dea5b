import type { JsonObject } from './json.ts';
import {
  type ErrorDefinition,
  RampartError,
  type RampartErrorClass,
  type RampartErrorOptions,
} from './rampart-error.ts';

/** One problem found in an input: where (`limits[0].windowMs`), what, and a machine-readable code. */
export interface ValidationIssue {
  /** Dotted path with `[index]` for array items; empty for the input itself. */
  readonly path: string;
  /** Human-readable explanation, e.g. `must be a positive integer (got -5)`. */
  readonly message: string;
  /** Machine-readable kind, e.g. `too_small`, `invalid_type`. */
  readonly code: string;
}

/** Options of errors that carry a list of {@link ValidationIssue}s. */
export interface IssuesErrorOptions<Details extends JsonObject = JsonObject>
  extends RampartErrorOptions<Details> {
  readonly issues?: readonly ValidationIssue[];
}

/** Options of errors that tell when to try again. */
export interface RetryAfterErrorOptions<Details extends JsonObject = JsonObject>
  extends RampartErrorOptions<Details> {
  /** Milliseconds after which the operation may succeed. */
  readonly retryAfterMs?: number;
}

/** A rate-limit policy that rejected a request. */
export interface ViolatedPolicy {
  readonly name: string;
  readonly limit: number;
  readonly windowMs: number;
}

/** Options of {@link RateLimitedError}. */
export interface RateLimitedErrorOptions<Details extends JsonObject = JsonObject>
  extends RetryAfterErrorOptions<Details> {
  /** The policies that rejected the request. */
  readonly policies?: readonly ViolatedPolicy[];
}

function definition<Code extends string>(
  code: Code,
  status: number,
  title: string,
  name: string,
  flags: { retryable?: boolean; captureStack?: boolean; type?: string } = {},
): ErrorDefinition<Code> {
  return Object.freeze({
    code,
    status,
    title,
    name,
    retryable: flags.retryable ?? false,
    expose: status < 500,
    captureStack: flags.captureStack ?? true,
    ...(flags.type === undefined ? {} : { type: flags.type }),
  });
}

/**
 * The input is malformed (`E_VALIDATION`, 400). Carries every problem found in `issues`.
 *
 * @example
 * ```ts
 * throw new ValidationError('Invalid body', {
 *   issues: [{ path: 'email', message: 'must be an email address', code: 'invalid_format' }],
 * });
 * ```
 */
export class ValidationError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_VALIDATION',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_VALIDATION'> = definition(
    'E_VALIDATION',
    400,
    'Validation Failed',
    'ValidationError',
  );
  /** Every problem found, in input order. */
  readonly issues: readonly ValidationIssue[];
  constructor(message?: string, options?: IssuesErrorOptions<Details>) {
    super(message, options);
    this.issues = options?.issues ?? [];
  }
}

/**
 * The caller is not authenticated (`E_UNAUTHORIZED`, 401).
 *
 * @example
 * ```ts
 * if (!request.headers.authorization) throw new UnauthorizedError('Missing bearer token');
 * ```
 */
export class UnauthorizedError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_UNAUTHORIZED',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_UNAUTHORIZED'> = definition(
    'E_UNAUTHORIZED',
    401,
    'Unauthorized',
    'UnauthorizedError',
  );
}

/**
 * The caller is authenticated but not allowed (`E_FORBIDDEN`, 403).
 *
 * @example
 * ```ts
 * if (!user.roles.includes('admin')) throw new ForbiddenError('Admins only');
 * ```
 */
export class ForbiddenError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_FORBIDDEN',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_FORBIDDEN'> = definition(
    'E_FORBIDDEN',
    403,
    'Forbidden',
    'ForbiddenError',
  );
}

/**
 * The resource does not exist (`E_NOT_FOUND`, 404).
 *
 * @example
 * ```ts
 * throw new NotFoundError(`No user ${id}`, { details: { userId: id } });
 * ```
 */
export class NotFoundError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_NOT_FOUND',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_NOT_FOUND'> = definition(
    'E_NOT_FOUND',
    404,
    'Not Found',
    'NotFoundError',
  );
}

/**
 * The request conflicts with the current state (`E_CONFLICT`, 409).
 *
 * @example
 * ```ts
 * throw new ConflictError('Version mismatch', { details: { expected: 3, actual: 4 } });
 * ```
 */
export class ConflictError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_CONFLICT',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_CONFLICT'> = definition(
    'E_CONFLICT',
    409,
    'Conflict',
    'ConflictError',
  );
}

/**
 * Too many requests (`E_RATE_LIMITED`, 429, retryable). Its problem type is the IETF
 * RateLimit draft's `quota-exceeded`, with the violated policies' names as
 * `violated-policies`. No stack is captured: it is an expected outcome on a hot path.
 *
 * @example
 * ```ts
 * throw new RateLimitedError('Slow down', {
 *   retryAfterMs: 1_500,
 *   policies: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
 * });
 * ```
 */
export class RateLimitedError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_RATE_LIMITED',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_RATE_LIMITED'> = definition(
    'E_RATE_LIMITED',
    429,
    'Too Many Requests',
    'RateLimitedError',
    {
      retryable: true,
      captureStack: false,
      type: 'https://iana.org/assignments/http-problem-types#quota-exceeded',
    },
  );
  /** Milliseconds until a request may be admitted again. */
  readonly retryAfterMs: number | undefined;
  /** The policies that rejected the request. */
  readonly policies: readonly ViolatedPolicy[];
  constructor(message?: string, options?: RateLimitedErrorOptions<Details>) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
    this.policies = options?.policies ?? [];
  }
}

/**
 * An operation ran past its deadline (`E_TIMEOUT`, 504, retryable).
 *
 * @example
 * ```ts
 * throw new TimeoutError('Upstream took longer than 2000 ms', { context: { timeoutMs: 2_000 } });
 * ```
 */
export class TimeoutError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_TIMEOUT',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_TIMEOUT'> = definition(
    'E_TIMEOUT',
    504,
    'Gateway Timeout',
    'TimeoutError',
    { retryable: true },
  );
}

/**
 * A circuit breaker rejected the call without trying (`E_CIRCUIT_OPEN`, 503, retryable
 * after `retryAfterMs`). No stack is captured: an open circuit rejects at high rates.
 *
 * @example
 * ```ts
 * throw new CircuitOpenError('Circuit "payments" is open', { retryAfterMs: 12_000 });
 * ```
 */
export class CircuitOpenError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_CIRCUIT_OPEN',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_CIRCUIT_OPEN'> = definition(
    'E_CIRCUIT_OPEN',
    503,
    'Circuit Open',
    'CircuitOpenError',
    { retryable: true, captureStack: false },
  );
  /** Milliseconds until the breaker admits its next trial call. */
  readonly retryAfterMs: number | undefined;
  constructor(message?: string, options?: RetryAfterErrorOptions<Details>) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * A dependency is unavailable right now (`E_UNAVAILABLE`, 503, retryable).
 *
 * @example
 * ```ts
 * throw new UnavailableError('Search index is rebuilding', { retryAfterMs: 30_000 });
 * ```
 */
export class UnavailableError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_UNAVAILABLE',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_UNAVAILABLE'> = definition(
    'E_UNAVAILABLE',
    503,
    'Service Unavailable',
    'UnavailableError',
    { retryable: true },
  );
  /** Milliseconds after which the dependency may be available again, when known. */
  readonly retryAfterMs: number | undefined;
  constructor(message?: string, options?: RetryAfterErrorOptions<Details>) {
    super(message, options);
    this.retryAfterMs = options?.retryAfterMs;
  }
}

/**
 * A component was configured wrongly (`E_CONFIG`, 500, never exposed). Every factory
 * throws it through {@link parseOptions}, naming each bad field in `issues`.
 *
 * @example
 * ```ts
 * throw new ConfigurationError('createCache: `ttlMs` must be a positive integer (got 0)', {
 *   issues: [{ path: 'ttlMs', message: 'must be a positive integer (got 0)', code: 'too_small' }],
 * });
 * ```
 */
export class ConfigurationError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_CONFIG',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_CONFIG'> = definition(
    'E_CONFIG',
    500,
    'Configuration Error',
    'ConfigurationError',
  );
  /** Every bad option, in input order. */
  readonly issues: readonly ValidationIssue[];
  constructor(message?: string, options?: IssuesErrorOptions<Details>) {
    super(message, options);
    this.issues = options?.issues ?? [];
  }
}

/**
 * An unexpected failure (`E_INTERNAL`, 500, never exposed). {@link normalizeError} wraps
 * foreign errors in it, keeping the original as `cause`.
 *
 * @example
 * ```ts
 * throw new InternalError('Ledger out of balance', { context: { accountId } });
 * ```
 */
export class InternalError<Details extends JsonObject = JsonObject> extends RampartError<
  'E_INTERNAL',
  Details
> {
  static override readonly definition: ErrorDefinition<'E_INTERNAL'> = definition(
    'E_INTERNAL',
    500,
    'Internal Server Error',
    'InternalError',
  );
}

/** Every built-in class, in the order of the codes table. */
export const builtInErrorClasses: readonly RampartErrorClass[] = [
  ValidationError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  RateLimitedError,
  TimeoutError,
  CircuitOpenError,
  UnavailableError,
  ConfigurationError,
  InternalError,
];
