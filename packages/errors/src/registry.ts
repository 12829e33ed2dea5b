import * as z from 'zod';
import { builtInErrorClasses, ConfigurationError } from './built-in-errors.ts';
import { parseOptions } from './parse-options.ts';
import { nameClassPrototype, type RampartErrorClass } from './rampart-error.ts';

/**
 * Where problem type URIs point unless a definition names its own: the codes table of
 * the errors guide, one anchor per code.
 */
export const DEFAULT_PROBLEM_TYPE_BASE_URI: string =
  'https://github.com/rampart-js/rampart/blob/main/docs/errors.md#';

/** One row of the codes table. */
export interface ErrorRegistryEntry {
  readonly code: string;
  readonly status: number;
  readonly title: string;
  readonly name: string;
  /** The RFC 9457 problem type URI. */
  readonly type: string;
  readonly retryable: boolean;
  readonly expose: boolean;
  /** The class {@link deserializeError} revives for this code. */
  readonly errorClass: RampartErrorClass;
}

/** Every error code known to this process, with what it maps to. */
export interface ErrorRegistry extends Iterable<ErrorRegistryEntry> {
  /** The entry for a code, if registered. */
  get(code: string): ErrorRegistryEntry | undefined;
  /** Whether a code is registered. */
  has(code: string): boolean;
  /** Every entry, built-ins first, then in registration order. */
  list(): readonly ErrorRegistryEntry[];
  /**
   * Registers a class by its static definition (done for you by {@link defineError}).
   * Registering the same class twice is a no-op, and a subclass of the registered class
   * may take over its code; any other duplicate code throws.
   *
   * @throws {@link ConfigurationError} when the definition is malformed or the code is taken.
   */
  register(errorClass: RampartErrorClass): ErrorRegistryEntry;
}

const definitionSchema = z.object({
  code: z.string().regex(/^E_[A-Z][A-Z0-9_]*$/, { error: 'must be E_UPPER_SNAKE_CASE' }),
  status: z.int().min(400).max(599),
  title: z.string().trim().min(1),
  name: z.string().trim().min(1),
  retryable: z.boolean(),
  expose: z.boolean(),
  captureStack: z.boolean(),
  type: z.url().optional(),
});

function problemTypeOf(code: string, type: string | undefined): string {
  return type ?? `${DEFAULT_PROBLEM_TYPE_BASE_URI}${code.toLowerCase()}`;
}

const entries = new Map<string, ErrorRegistryEntry>();

/** Registers a class; `where` names the public call in error messages. */
export function registerErrorClass(
  errorClass: RampartErrorClass,
  where: string,
): ErrorRegistryEntry {
  const { code, status, title, name, retryable, expose, type } = parseOptions(
    definitionSchema,
    errorClass.definition,
    where,
  );
  const existing = entries.get(code);
  if (existing !== undefined) {
    if (existing.errorClass === errorClass) return existing;
    if (!(errorClass.prototype instanceof existing.errorClass)) {
      throw new ConfigurationError(
        `${where}: code ${code} is already registered by ${existing.name}`,
        {
          context: { code, registeredBy: existing.name, attemptedBy: name },
        },
      );
    }
  }
  const entry: ErrorRegistryEntry = Object.freeze({
    code,
    status,
    title,
    name,
    type: problemTypeOf(code, type),
    retryable,
    expose,
    errorClass,
  });
  entries.set(code, entry);
  // Revived errors never run a constructor: name the prototype now, not at first `new`.
  if (!Object.hasOwn(errorClass.prototype, 'name')) nameClassPrototype(errorClass.prototype, name);
  return entry;
}

for (const errorClass of builtInErrorClasses) registerErrorClass(errorClass, 'errorRegistry');

/**
 * The registry of every error code in this process: the built-ins plus each class made
 * by {@link defineError}. The codes table of the errors guide is generated from it.
 *
 * @example
 * ```ts
 * import { errorRegistry } from '@rampart/errors';
 *
 * for (const { code, status, title } of errorRegistry) console.log(code, status, title);
 * errorRegistry.get('E_RATE_LIMITED')?.status; // 429
 * ```
 */
export const errorRegistry: ErrorRegistry = Object.freeze({
  get: (code: string) => entries.get(code),
  has: (code: string) => entries.has(code),
  list: () => [...entries.values()],
  register: (errorClass: RampartErrorClass) =>
    registerErrorClass(errorClass, 'errorRegistry.register'),
  [Symbol.iterator]: () => entries.values(),
});
