import { ConfigurationError } from './built-in-errors.ts';
import { describeValue } from './describe-value.ts';
import type { JsonObject } from './json.ts';
import { type ErrorDefinition, RampartError, type RampartErrorClass } from './rampart-error.ts';
import { registerErrorClass } from './registry.ts';

/** What {@link defineError} needs to know about a new error type. */
export interface DefineErrorOptions<Code extends string> {
  /** Stable code in E_UPPER_SNAKE_CASE, unique in the process. */
  readonly code: Code;
  /** HTTP status, 400–599. */
  readonly status: number;
  /** Short summary of the problem type (RFC 9457 `title`). */
  readonly title: string;
  /** Class name for logs and stacks. @default derived from the code: `E_PAYMENT_DECLINED` → `PaymentDeclinedError` */
  readonly name?: string;
  /** Whether the same operation may succeed later. @default false — retrying must be opted into. */
  readonly retryable?: boolean;
  /** Whether messages may reach clients. @default `status < 500` — server faults stay private. */
  readonly expose?: boolean;
  /** Whether instances capture a stack. @default true — turn off for frequent, expected errors. */
  readonly captureStack?: boolean;
  /** Absolute problem type URI. @default the code's anchor in the errors guide */
  readonly type?: string;
}

/**
 * Makes a typed error class for a code of your own and registers it, so
 * {@link deserializeError} revives it and {@link errorRegistry} lists it. Use the returned
 * class directly, or extend it and register the subclass with `errorRegistry.register`.
 *
 * @throws {@link ConfigurationError} when a field is malformed or the code is already registered.
 *
 * @example
 * ```ts
 * import { defineError } from '@rampart/errors';
 *
 * export const PaymentDeclinedError = defineError({
 *   code: 'E_PAYMENT_DECLINED',
 *   status: 402,
 *   title: 'Payment Declined',
 * });
 * export type PaymentDeclinedError = InstanceType<typeof PaymentDeclinedError>;
 *
 * throw new PaymentDeclinedError('Card expired', { details: { reason: 'expired_card' } });
 * ```
 */
export function defineError<const Code extends string, Details extends JsonObject = JsonObject>(
  options: DefineErrorOptions<Code>,
): RampartErrorClass<Code, Details> {
  if (typeof options !== 'object' || options === null) {
    throw new ConfigurationError(
      `defineError: the options must be an object (got ${describeValue(options)})`,
    );
  }
  const status = options.status;
  const definition: ErrorDefinition<Code> = Object.freeze({
    code: options.code,
    status,
    title: options.title,
    name: options.name ?? nameFromCode(options.code),
    retryable: options.retryable ?? false,
    expose: options.expose ?? (typeof status === 'number' && status < 500),
    captureStack: options.captureStack ?? true,
    ...(options.type === undefined ? {} : { type: options.type }),
  });
  const DefinedError = class extends RampartError<Code, Details> {
    static override readonly definition: ErrorDefinition<Code> = definition;
  };
  Object.defineProperty(DefinedError, 'name', { value: definition.name });
  registerErrorClass(DefinedError as unknown as RampartErrorClass, 'defineError');
  return DefinedError;
}

function nameFromCode(code: unknown): string {
  if (typeof code !== 'string') return 'CustomError';
  const words = code.replace(/^E_/, '').toLowerCase().split('_').filter(Boolean);
  return `${words.map((word) => word[0]?.toUpperCase() + word.slice(1)).join('')}Error`;
}
