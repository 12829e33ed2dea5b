import {
  CircuitOpenError,
  ConfigurationError,
  RateLimitedError,
  UnavailableError,
  ValidationError,
  type ValidationIssue,
  type ViolatedPolicy,
} from '../built-in-errors.ts';
import { truncate } from './json-safe.ts';

/** How many issues or policies a revived error keeps. */
const MAX_LIST_ITEMS = 100;
const MAX_TEXT_LENGTH = 1_000;

type Read = (key: string) => unknown;

/**
 * Restores the public fields a built-in class's constructor would have set (`issues`,
 * `policies`, `retryAfterMs`), from the serialized members when they have the right shape
 * and from the constructor's defaults otherwise, so a revived error reads like a new one.
 * Returns the keys it handled.
 */
export function reviveClassFields(error: Error, read: Read): readonly string[] {
  const handled: string[] = [];
  const set = (key: string, value: unknown): void => {
    Object.defineProperty(error, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
    handled.push(key);
  };
  if (error instanceof ValidationError || error instanceof ConfigurationError) {
    set('issues', reviveIssues(read('issues')));
  }
  if (error instanceof RateLimitedError) set('policies', revivePolicies(read('policies')));
  if (
    error instanceof RateLimitedError ||
    error instanceof CircuitOpenError ||
    error instanceof UnavailableError
  ) {
    set('retryAfterMs', reviveRetryAfter(read('retryAfterMs')));
  }
  return handled;
}

function items(value: unknown): Record<string, unknown>[] {
  if (!Array.isArray(value)) return [];
  const result: Record<string, unknown>[] = [];
  for (const item of value.slice(0, MAX_LIST_ITEMS) as unknown[]) {
    if (typeof item === 'object' && item !== null) result.push(item as Record<string, unknown>);
  }
  return result;
}

function text(record: Record<string, unknown>, key: string): string | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'string' ? truncate(value, MAX_TEXT_LENGTH) : undefined;
}

function finite(record: Record<string, unknown>, key: string): number | undefined {
  const value = Object.hasOwn(record, key) ? record[key] : undefined;
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function reviveIssues(value: unknown): readonly ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const item of items(value)) {
    const path = text(item, 'path');
    const message = text(item, 'message');
    const code = text(item, 'code');
    if (path !== undefined && message !== undefined && code !== undefined) {
      issues.push(Object.freeze({ path, message, code }));
    }
  }
  return Object.freeze(issues);
}

function revivePolicies(value: unknown): readonly ViolatedPolicy[] {
  const policies: ViolatedPolicy[] = [];
  for (const item of items(value)) {
    const name = text(item, 'name');
    const limit = finite(item, 'limit');
    const windowMs = finite(item, 'windowMs');
    if (name !== undefined && limit !== undefined && windowMs !== undefined) {
      policies.push(Object.freeze({ name, limit, windowMs }));
    }
  }
  return Object.freeze(policies);
}

function reviveRetryAfter(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
}
