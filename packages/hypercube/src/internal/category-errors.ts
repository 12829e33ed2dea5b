import type { ValidationError } from '@rampart/errors';
import { validationError } from './errors.ts';

/** `category must be a string (got 5)`. */
export function categoryTypeError(
  received: unknown,
  captureStack: boolean,
  path = 'category',
): ValidationError {
  return validationError(
    [{ path, expectation: 'must be a string', received, code: 'invalid_type' }],
    captureStack,
  );
}

/** `category must be one of physics, …, general (got "cooking")`. */
export function unknownCategoryError(
  path: string,
  received: string,
  names: readonly string[],
  captureStack: boolean,
): ValidationError {
  return validationError(
    [{ path, expectation: knownCategories(names), received, code: 'invalid_value' }],
    captureStack,
  );
}

const MAX_LISTED_NAMES = 12;

function knownCategories(names: readonly string[]): string {
  if (names.length === 0) return 'must be a category of the table (the table is empty)';
  if (names.length > MAX_LISTED_NAMES) return 'must be a category of the table';
  return `must be one of ${names.join(', ')}`;
}
