import { invalidArgument, UnavailableError, type ValidationError } from '@rampart/errors';
import { MAX_DURATION_MS } from '@rampart/redis';
import type { LoadSettings } from './loader.ts';

/** The cache-level defaults a call's options fall back to. */
export type LoadDefaults = LoadSettings;

/** `String.prototype.isWellFormed` (ES2024; every Node.js the package supports has it). */
function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Why a key or tag is refused: a lone surrogate would be replaced when encoded (UTF-8 for
 * Redis), so distinct strings would become one key.
 */
export const ILL_FORMED = 'must be a well-formed Unicode string (it holds a lone surrogate)';

/** Validates a key: a non-empty, well-formed string. */
export function checkKey(where: string, key: unknown, path = 'key'): ValidationError | undefined {
  if (typeof key !== 'string' || key.length === 0) {
    return invalidArgument(where, path, 'must be a non-empty string', key);
  }
  return isWellFormed(key) ? undefined : invalidArgument(where, path, ILL_FORMED, key);
}

/** The error every call of a closed cache rejects with. */
export function closedError(name: string): UnavailableError {
  return new UnavailableError(`Cache "${name}" is closed`, { captureStack: false });
}

function readObject(where: string, options: unknown): Record<string, unknown> {
  if (typeof options !== 'object' || options === null) {
    throw invalidArgument(where, 'options', 'must be an object', options);
  }
  return options as Record<string, unknown>;
}

function readInteger(
  where: string,
  options: Record<string, unknown>,
  field: string,
  fallback: number | undefined,
  minimum: 0 | 1,
): number | undefined {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < minimum) {
    const expectation = minimum === 1 ? 'a positive integer' : 'a non-negative integer';
    throw invalidArgument(where, `options.${field}`, `must be ${expectation}`, value);
  }
  if (value > MAX_DURATION_MS) {
    throw invalidArgument(
      where,
      `options.${field}`,
      'must be below 2^31 ms (Node fires longer timers after 1 ms)',
      value,
    );
  }
  return value;
}

/**
 * Reads a call's `signal`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when it is not an `AbortSignal`.
 */
export function readSignal(where: string, options: unknown): AbortSignal | undefined {
  if (options === undefined) return undefined;
  const signal = readObject(where, options).signal;
  if (signal === undefined || signal instanceof AbortSignal) return signal;
  throw invalidArgument(where, 'options.signal', 'must be an AbortSignal', signal);
}

function readBoolean(
  where: string,
  options: Record<string, unknown>,
  field: string,
  fallback: boolean,
): boolean {
  const value = options[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') {
    throw invalidArgument(where, `options.${field}`, 'must be a boolean', value);
  }
  return value;
}

/**
 * Reads a list of tags: non-empty, well-formed strings, duplicates dropped.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the bad entry.
 */
export function readTags(where: string, tags: unknown, path: string): readonly string[] {
  if (!Array.isArray(tags)) throw invalidArgument(where, path, 'must be an array of tags', tags);
  tags.forEach((tag: unknown, index) => {
    if (typeof tag !== 'string' || tag.length === 0) {
      throw invalidArgument(where, `${path}[${index}]`, 'must be a non-empty string', tag);
    }
    if (!isWellFormed(tag)) throw invalidArgument(where, `${path}[${index}]`, ILL_FORMED, tag);
  });
  return [...new Set(tags as string[])];
}

/**
 * Reads `ttlMs`, `graceMs`, `tags` and (for loads) the timeouts, `distributedLock` and
 * `earlyRefresh` of a call, over the defaults.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the bad field.
 */
export function readLoadSettings(
  where: string,
  options: unknown,
  defaults: LoadDefaults,
): LoadSettings {
  if (options === undefined) return defaults;
  const record = readObject(where, options);
  const ttlMs = readInteger(where, record, 'ttlMs', defaults.ttlMs, 1) ?? defaults.ttlMs;
  const graceMs = readInteger(where, record, 'graceMs', defaults.graceMs, 0) ?? defaults.graceMs;
  const softTimeoutMs = readInteger(where, record, 'softTimeoutMs', defaults.softTimeoutMs, 1);
  const hardTimeoutMs = readInteger(where, record, 'hardTimeoutMs', defaults.hardTimeoutMs, 1);
  if (
    softTimeoutMs !== undefined &&
    hardTimeoutMs !== undefined &&
    softTimeoutMs >= hardTimeoutMs
  ) {
    throw invalidArgument(
      where,
      'options.softTimeoutMs',
      `must be less than hardTimeoutMs (${hardTimeoutMs})`,
      softTimeoutMs,
    );
  }
  const tags =
    record.tags === undefined ? defaults.tags : readTags(where, record.tags, 'options.tags');
  return {
    ttlMs,
    graceMs,
    softTimeoutMs,
    hardTimeoutMs,
    graceBackoffMs: defaults.graceBackoffMs,
    tags,
    distributedLock: readBoolean(where, record, 'distributedLock', defaults.distributedLock),
    earlyRefresh: readBoolean(where, record, 'earlyRefresh', defaults.earlyRefresh),
  };
}
