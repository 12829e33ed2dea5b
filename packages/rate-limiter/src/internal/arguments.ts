import { invalidArgument, type ValidationError } from '@rampart/errors';
import type { CompiledLimit } from './algorithms.ts';

/** Checks the arguments of a hot-path call; returns the error to reject with, if any. */
export interface ArgumentChecker {
  key(where: string, key: unknown): ValidationError | undefined;
  cost(where: string, cost: unknown): ValidationError | undefined;
  options(where: string, options: unknown): ValidationError | undefined;
}

/** `String.prototype.isWellFormed` (ES2024; every Node.js the package supports has it). */
export function isWellFormed(value: string): boolean {
  return (value as unknown as { isWellFormed(): boolean }).isWellFormed();
}

export function createArgumentChecker(limits: readonly CompiledLimit[]): ArgumentChecker {
  let smallest = limits[0] as CompiledLimit;
  for (const limit of limits) if (limit.capacity < smallest.capacity) smallest = limit;
  const maxCost = smallest.capacity;
  const capacityOf =
    smallest.algorithm === 'gcra' || smallest.algorithm === 'token-bucket'
      ? `the burst of limit "${smallest.name}"`
      : `the limit of "${smallest.name}"`;
  return {
    key(where, key) {
      if (typeof key !== 'string' || key.length === 0) {
        return invalidArgument(where, 'key', 'must be a non-empty string', key);
      }
      if (isWellFormed(key)) return undefined;
      // A lone surrogate becomes U+FFFD in UTF-8 (Redis): distinct keys would share a count.
      return invalidArgument(
        where,
        'key',
        'must be a well-formed Unicode string (it holds a lone surrogate)',
        key,
      );
    },
    cost(where, cost) {
      if (typeof cost !== 'number' || !Number.isSafeInteger(cost) || cost <= 0) {
        return invalidArgument(where, 'cost', 'must be a positive integer', cost);
      }
      if (cost > maxCost) {
        return invalidArgument(where, 'cost', `must be at most ${maxCost}, ${capacityOf}`, cost);
      }
      return undefined;
    },
    options(where, options) {
      if (options === undefined) return undefined;
      if (typeof options !== 'object' || options === null) {
        return invalidArgument(where, 'options', 'must be an object', options);
      }
      const signal = (options as { signal?: unknown }).signal;
      if (signal !== undefined && !(signal instanceof AbortSignal)) {
        return invalidArgument(where, 'options.signal', 'must be an AbortSignal', signal);
      }
      return undefined;
    },
  };
}
