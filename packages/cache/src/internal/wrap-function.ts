import { invalidArgument } from '@rampart/errors';
import type { Cache } from '../cache.ts';
import { checkKey } from './call-options.ts';

/**
 * `cache.wrap(fn, options)`: `fn` cached by the key `options.key(...args)` builds, through
 * `getOrSet` with the other options. `validate` checks those options once, up front.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `fn`, `options` or `options.key` is not what it should be.
 */
export function wrapFunction<Args extends readonly unknown[], Result>(
  cache: Cache,
  fn: (...args: Args) => Result,
  wrapOptions: { key(...args: Args): string },
  validate: (loadOptions: object) => void,
): (...args: Args) => Promise<Awaited<Result>> {
  if (typeof fn !== 'function') throw invalidArgument('wrap', 'fn', 'must be a function', fn);
  if (typeof wrapOptions !== 'object' || wrapOptions === null) {
    throw invalidArgument('wrap', 'options', 'must be an object', wrapOptions);
  }
  const buildKey = wrapOptions.key;
  if (typeof buildKey !== 'function') {
    throw invalidArgument('wrap', 'options.key', 'must be a function', buildKey);
  }
  const { key: _key, ...rest } = wrapOptions as { key: unknown } & Record<string, unknown>;
  const loadOptions = Object.keys(rest).length === 0 ? undefined : rest;
  if (loadOptions !== undefined) validate(loadOptions);
  return (...args: Args): Promise<Awaited<Result>> => {
    let key: unknown;
    try {
      key = wrapOptions.key(...args);
    } catch (error) {
      return Promise.reject(error);
    }
    const invalid = checkKey('wrap', key, 'options.key(...args)');
    if (invalid !== undefined) return Promise.reject(invalid);
    return cache.getOrSet<Awaited<Result>>(
      key as string,
      () => fn(...args) as Awaited<Result> | PromiseLike<Awaited<Result>>,
      loadOptions,
    );
  };
}
