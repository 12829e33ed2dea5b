import { ConfigurationError, parseOptions, ratioSchema } from '@rampart/errors';
import * as z from 'zod';

/** Returned by {@link CategoryLookup.valueOf} for a name that is not in the table. */
export const UNKNOWN = -1;

/** Raw spellings remembered per table, so repeated names skip normalisation (bounded). */
const MAX_REMEMBERED_SPELLINGS = 1_024;

/** A category table prepared for fast lookups. */
export interface CategoryLookup {
  /** The table's value for a raw name (normalised first), or {@link UNKNOWN}. */
  valueOf(name: string): number;
  /** The table's normalised names, in table order. */
  readonly names: readonly string[];
}

/** Lower-case, then every space becomes `_`: `Computer Science` → `computer_science`. */
export function normalizeName(name: string): string {
  return name.toLowerCase().replaceAll(' ', '_');
}

const tableSchema = z.record(z.string(), ratioSchema, {
  error: 'must be an object mapping category names to numbers from 0 to 1',
});

const prepared = new WeakMap<object, CategoryLookup>();

/**
 * Prepares (once per table object) a lookup over `table`. Tables are read once: changing a table
 * after its first use has no effect, so treat tables as immutable.
 *
 * @param where - the public call, for error messages (`encodeCategory`).
 * @param path - the argument or option holding the table (`table`, `categoryTable`).
 * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the table is not an object of numbers in [0, 1], or two of its
 *   keys normalise to the same name.
 */
export function categoryLookup(table: unknown, where: string, path: string): CategoryLookup {
  if (typeof table === 'object' && table !== null) {
    const cached = prepared.get(table);
    if (cached !== undefined) return cached;
  }
  const entries = parseOptions(z.object({ [path]: tableSchema }), { [path]: table }, where)[path];
  const values = new Map<string, number>();
  const spelling = new Map<string, string>();
  for (const [key, value] of Object.entries(entries ?? {})) {
    const name = normalizeName(key);
    const previous = spelling.get(name);
    if (previous !== undefined) throw collision(where, path, previous, key, name);
    spelling.set(name, key);
    values.set(name, value);
  }
  const lookup = createLookup(values);
  prepared.set(table as object, lookup);
  return lookup;
}

function createLookup(values: ReadonlyMap<string, number>): CategoryLookup {
  // Normalised names plus remembered raw spellings (unknown ones remembered as UNKNOWN).
  const known = new Map<string, number>(values);
  let remembered = 0;
  return {
    names: Object.freeze([...values.keys()]),
    valueOf(name) {
      const hit = known.get(name);
      if (hit !== undefined) return hit;
      const value = values.get(normalizeName(name)) ?? UNKNOWN;
      if (remembered < MAX_REMEMBERED_SPELLINGS) {
        known.set(name, value);
        remembered++;
      }
      return value;
    },
  };
}

function collision(
  where: string,
  path: string,
  first: string,
  second: string,
  name: string,
): ConfigurationError {
  const issuePath = `${path}[${JSON.stringify(second)}]`;
  const message = `must not repeat a category (${JSON.stringify(first)} is the same after normalising to ${JSON.stringify(name)})`;
  return new ConfigurationError(`${where}: \`${issuePath}\` ${message}`, {
    issues: [{ path: issuePath, message, code: 'custom' }],
  });
}
