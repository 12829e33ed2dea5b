import { ConfigurationError } from '@rampart/errors';

/** How a ready-made check reports a dependency that is degraded but served by a fallback. */
export type DegradedStatus = 'warn' | 'fail';

/** Reads a `warn`/`fail` option, throwing a `ConfigurationError` naming it otherwise. */
export function degradedStatus(where: string, field: string, value: unknown): DegradedStatus {
  if (value === undefined) return 'warn';
  if (value === 'warn' || value === 'fail') return value;
  throw new ConfigurationError(
    `${where}: \`${field}\` must be warn or fail (got ${String(value)})`,
  );
}

/** Throws a `ConfigurationError` unless `value` has a method `method`. */
export function requireMethod(where: string, field: string, value: unknown, method: string): void {
  if (
    (typeof value !== 'object' && typeof value !== 'function') ||
    value === null ||
    typeof (value as Record<string, unknown>)[method] !== 'function'
  ) {
    throw new ConfigurationError(`${where}: \`${field}\` must have a ${method}() method`);
  }
}
