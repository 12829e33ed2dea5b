import { ConfigurationError, describeValue } from '@rampart/errors';

/** Throws the `ConfigurationError` of a factory whose `fn` argument is not a function. */
export function requireFunction(fn: unknown, where: string): void {
  if (typeof fn === 'function') return;
  const message = `must be a function (got ${describeValue(fn)})`;
  throw new ConfigurationError(`${where}: \`fn\` ${message}`, {
    issues: [{ path: 'fn', message, code: 'invalid_type' }],
  });
}
