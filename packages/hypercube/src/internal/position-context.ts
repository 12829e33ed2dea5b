import { parseOptions } from '@rampart/errors';
import * as z from 'zod';
import { type CategoryTable, DEFAULT_CATEGORY_TABLE } from '../category.ts';
import { type CategoryLookup, categoryLookup } from './category-lookup.ts';

/** What the position functions need from their options, prepared once per options object. */
export interface PositionContext {
  readonly lookup: CategoryLookup;
  readonly strict: boolean;
}

/** The options every position function accepts (documented on `PositionOptions`). */
export interface PositionContextOptions {
  readonly categoryTable?: CategoryTable;
  readonly strictCategories?: boolean;
}

const optionsSchema = z.strictObject(
  {
    categoryTable: z.unknown().optional(),
    strictCategories: z.boolean({ error: 'must be a boolean' }).optional(),
  },
  { error: 'must be an object' },
);

let defaultContext: PositionContext | undefined;
const contexts = new WeakMap<object, PositionContext>();

/**
 * The prepared context of `options`: validated and cached per options object, so passing the
 * same options object again costs one WeakMap lookup.
 *
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
 */
export function positionContext(
  options: PositionContextOptions | undefined,
  where: string,
): PositionContext {
  if (options === undefined) {
    defaultContext ??= {
      lookup: categoryLookup(DEFAULT_CATEGORY_TABLE, where, 'categoryTable'),
      strict: false,
    };
    return defaultContext;
  }
  if (typeof options === 'object' && options !== null) {
    const cached = contexts.get(options);
    if (cached !== undefined) return cached;
  }
  const parsed = parseOptions(optionsSchema, options, where);
  const context: PositionContext = {
    lookup: categoryLookup(parsed.categoryTable ?? DEFAULT_CATEGORY_TABLE, where, 'categoryTable'),
    strict: parsed.strictCategories ?? false,
  };
  contexts.set(options, context);
  return context;
}
