/**
 * Turns values into the strings an L2 store keeps, and back. Both directions must be pure:
 * the cache also uses the round trip to give L1 the exact value L2 would return.
 *
 * @example
 * ```ts
 * import superjson from 'superjson';
 * import type { CacheSerializer } from '@rampart/cache';
 *
 * const serializer: CacheSerializer = {
 *   serialize: (value) => superjson.stringify(value),
 *   deserialize: (data) => superjson.parse(data),
 * };
 * ```
 */
export interface CacheSerializer {
  /**
   * Encodes a value. Throw when the value cannot be represented.
   * @throws `Error` when the value cannot be encoded (the cache reports a `ValidationError`).
   */
  serialize(value: unknown): string;
  /**
   * Decodes what {@link CacheSerializer.serialize} produced.
   * @throws `Error` when the data is corrupt (the cache treats it as a miss).
   */
  deserialize(data: string): unknown;
}

/**
 * The default serializer: `JSON.stringify` / `JSON.parse`. JSON keeps strings, finite
 * numbers, booleans, `null`, arrays and plain objects. It loses the rest, and the cache then
 * returns what JSON returns, from every tier: a `Date` comes back as its ISO string, a `Map`
 * or `Set` as `{}`, class instances as plain objects (methods gone), `NaN` and `±Infinity`
 * as `null`, `-0` as `0`, and properties whose value is `undefined`, a function or a symbol
 * are dropped. A `BigInt`, a cycle, or a top-level `undefined`, function or symbol cannot be
 * encoded: writing one fails with a `ValidationError`.
 */
export const jsonSerializer: CacheSerializer = Object.freeze({
  serialize(value: unknown): string {
    const data: unknown = JSON.stringify(value);
    if (typeof data !== 'string') {
      throw new TypeError(
        `JSON cannot represent ${typeof value === 'function' ? 'a function' : typeof value}`,
      );
    }
    return data;
  },
  deserialize(data: string): unknown {
    return JSON.parse(data);
  },
});
