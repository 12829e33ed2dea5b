import { RAMPART_ERROR_BRAND } from './brand.ts';
import type { JsonObject } from './json.ts';
import { type SerializedError, serializeError } from './serialize-error.ts';

/** What every Rampart error class declares about itself: the row of the codes table. */
export interface ErrorDefinition<Code extends string = string> {
  /** Stable identifier (`E_NOT_FOUND`); changes only in a major version. */
  readonly code: Code;
  /** The HTTP status the error maps to. */
  readonly status: number;
  /** Short, human-readable summary of the problem type (RFC 9457 `title`). */
  readonly title: string;
  /** The class name shown in logs and stacks (`NotFoundError`). */
  readonly name: string;
  /** Whether repeating the same operation later may succeed. */
  readonly retryable: boolean;
  /** Whether the message may reach a client (defaults to `status < 500`). */
  readonly expose: boolean;
  /** Whether instances capture a stack trace (off for cheap, expected 4xx errors). */
  readonly captureStack: boolean;
  /** Absolute problem type URI; when absent it is derived from the code. */
  readonly type?: string;
}

/** Options accepted by every Rampart error constructor. */
export interface RampartErrorOptions<Details extends JsonObject = JsonObject> {
  /** Public, JSON-safe data about the failure; may be shown to clients when `expose` is true. */
  readonly details?: Details;
  /** Internal data for logs and debugging; never sent to clients. */
  readonly context?: Readonly<Record<string, unknown>>;
  /** The underlying error (ES2022 `cause`). */
  readonly cause?: unknown;
  /** Overrides the class's `retryable` for this instance. */
  readonly retryable?: boolean;
  /** Overrides the class's `expose` for this instance. */
  readonly expose?: boolean;
  /** Overrides the class's `captureStack`; `false` makes construction several times cheaper. */
  readonly captureStack?: boolean;
}

const emptyDetails: JsonObject = Object.freeze({}) as JsonObject;
const emptyContext: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The base class of every error Rampart throws. Subclasses declare a static
 * {@link ErrorDefinition}; instances carry its `code`, `status`, `retryable` and `expose`
 * plus public `details`, internal `context` and an ES2022 `cause`.
 *
 * Do not instantiate it directly: use a built-in subclass or {@link defineError}.
 *
 * @example
 * ```ts
 * import { NotFoundError, isRampartError } from '@rampart/errors';
 *
 * try {
 *   throw new NotFoundError('No user 42', { details: { userId: 42 } });
 * } catch (error) {
 *   if (isRampartError(error)) console.log(error.code, error.status); // E_NOT_FOUND 404
 * }
 * ```
 */
export abstract class RampartError<
  Code extends string = string,
  Details extends JsonObject = JsonObject,
> extends Error {
  /** The definition shared by all instances of this class. */
  static readonly definition: ErrorDefinition = {
    code: 'E_INTERNAL',
    status: 500,
    title: 'Internal Server Error',
    name: 'RampartError',
    retryable: false,
    expose: false,
    captureStack: true,
  };

  /** Stable error code, e.g. `E_RATE_LIMITED`. */
  readonly code: Code;
  /** HTTP status this error maps to. */
  readonly status: number;
  /** Whether repeating the operation later may succeed. */
  readonly retryable: boolean;
  /** Whether `message` may be shown to a client. */
  readonly expose: boolean;
  /** Public, JSON-safe details. */
  readonly details: Details;
  /** Internal context for logs; never reaches a client. */
  readonly context: Readonly<Record<string, unknown>>;

  constructor(message?: string, options?: RampartErrorOptions<Details>) {
    const definition = new.target.definition;
    const captureStack = options?.captureStack ?? definition.captureStack;
    const stackTraceLimit = Error.stackTraceLimit;
    if (!captureStack) Error.stackTraceLimit = 0;
    try {
      super(
        message ?? definition.title,
        options?.cause === undefined ? undefined : { cause: options.cause },
      );
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
    this.code = definition.code as Code;
    this.status = definition.status;
    this.retryable = options?.retryable ?? definition.retryable;
    this.expose = options?.expose ?? definition.expose;
    this.details = options?.details ?? (emptyDetails as Details);
    this.context = options?.context ?? emptyContext;
    const prototype = new.target.prototype;
    if (!Object.hasOwn(prototype, 'name')) {
      // A subclass without a definition of its own is named after itself.
      const ownDefinition = Object.hasOwn(new.target, 'definition');
      nameClassPrototype(prototype, ownDefinition ? definition.name : new.target.name);
    }
  }

  /**
   * The lossless JSON form (see {@link serializeError}), without the stack.
   * It includes the internal `context`: send {@link toProblem} to clients, never this.
   */
  toJSON(): SerializedError {
    return serializeError(this);
  }
}

/** Names a class's prototype, so `.name` is right before any instance is made. */
export function nameClassPrototype(prototype: object, name: string): void {
  Object.defineProperty(prototype, 'name', {
    value: name,
    writable: true,
    configurable: true,
    enumerable: false,
  });
}

Object.defineProperty(RampartError.prototype, RAMPART_ERROR_BRAND, { value: true });
nameClassPrototype(RampartError.prototype, 'RampartError');

/** A constructor of a Rampart error class with its static definition. */
export interface RampartErrorClass<
  Code extends string = string,
  Details extends JsonObject = JsonObject,
> {
  new (message?: string, options?: RampartErrorOptions<Details>): RampartError<Code, Details>;
  readonly definition: ErrorDefinition<Code>;
  readonly prototype: RampartError<Code, Details>;
}
