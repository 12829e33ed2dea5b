import { categoryTypeError, unknownCategoryError } from './internal/category-errors.ts';
import { categoryLookup, normalizeName, UNKNOWN } from './internal/category-lookup.ts';

/**
 * Maps normalised category names (lower-case, spaces as `_`) to their X-axis factor in [0, 1].
 * Keys are normalised when the table is first used, so `'Computer Science'` and
 * `'computer_science'` are the same key. A table is read once: treat it as immutable.
 */
export type CategoryTable = Readonly<Record<string, number>>;

/**
 * The standard category table: physics 0.1, mathematics 0.2, astronomy 0.3, biology 0.4,
 * chemistry 0.5, computer_science 0.6, engineering 0.7, earth_science 0.8, social_science 0.9,
 * general 0.5.
 */
export const DEFAULT_CATEGORY_TABLE: CategoryTable = Object.freeze({
  physics: 0.1,
  mathematics: 0.2,
  astronomy: 0.3,
  biology: 0.4,
  chemistry: 0.5,
  computer_science: 0.6,
  engineering: 0.7,
  earth_science: 0.8,
  social_science: 0.9,
  general: 0.5,
});

/** The value of a category that is not in the table (unless strict): 0.5, the standard default. */
export const UNKNOWN_CATEGORY_VALUE = 0.5;

/** Options of {@link encodeCategory}. */
export interface EncodeCategoryOptions {
  /**
   * Reject a category that is not in the table with a `ValidationError` instead of encoding it
   * as {@link UNKNOWN_CATEGORY_VALUE}.
   * @default `false` — unknown categories encode as 0.5, as standard.
   */
  readonly strict?: boolean;
}

/**
 * Normalises a category name the way every lookup does: lower-case, then each space becomes `_`.
 * Other characters (tabs, hyphens, surrounding spaces) are kept as they are.
 *
 * @example
 * ```ts
 * import { normalizeCategoryName } from '@rampart/hypercube';
 *
 * normalizeCategoryName('Computer Science'); // 'computer_science'
 * ```
 */
export function normalizeCategoryName(name: string): string {
  if (typeof name !== 'string') throw categoryTypeError(name, true);
  return normalizeName(name);
}

/**
 * Encodes a category name as its X-axis factor: the name is lower-cased, spaces become `_`, and
 * the result is looked up in `table`. A name that is not in the table encodes as 0.5, or throws
 * with `{ strict: true }`.
 *
 * @param name - the category, e.g. `'Computer Science'`.
 * @param table - the table to look up (default {@link DEFAULT_CATEGORY_TABLE}: the standard ten
 *   categories).
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `name` is not a string, or is unknown and `strict` is set.
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when `table` has a value outside [0, 1] or two keys that
 *   normalise to the same name.
 *
 * @example
 * ```ts
 * import { encodeCategory } from '@rampart/hypercube';
 *
 * encodeCategory('Computer Science');                        // 0.6
 * encodeCategory('cooking');                                 // 0.5 (unknown)
 * encodeCategory('cooking', { cooking: 0.25 });              // 0.25
 * encodeCategory('cooking', undefined, { strict: true });    // throws ValidationError
 * ```
 */
export function encodeCategory(
  name: string,
  table: CategoryTable = DEFAULT_CATEGORY_TABLE,
  options: EncodeCategoryOptions = {},
): number {
  const lookup = categoryLookup(table, 'encodeCategory', 'table');
  if (typeof name !== 'string') throw categoryTypeError(name, true);
  const value = lookup.valueOf(name);
  if (value !== UNKNOWN) return value;
  if (options.strict === true) throw unknownCategoryError('category', name, lookup.names, true);
  return UNKNOWN_CATEGORY_VALUE;
}
