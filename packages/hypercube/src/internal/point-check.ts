import { invalidArgument } from '@rampart/errors';
import type { PointLike } from '../dimensions.ts';

/**
 * Checks that `value` is a point: array-like, exactly 8 entries, each a finite number.
 * Hot geometry calls use it, so the passing path is a handful of comparisons.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the argument and the bad coordinate: ``euclidean: `a[3]`
 *   must be a finite number (got NaN)``.
 */
export function checkPoint(value: PointLike, where: string, name: string): void {
  if (typeof value !== 'object' || value === null || value.length !== 8) {
    throw notAPoint(value, where, name);
  }
  for (let index = 0; index < 8; index++) {
    const coordinate = value[index];
    if (
      !(
        typeof coordinate === 'number' &&
        coordinate > Number.NEGATIVE_INFINITY &&
        coordinate < Number.POSITIVE_INFINITY
      )
    ) {
      throw invalidArgument(where, `${name}[${index}]`, 'must be a finite number', coordinate, {
        captureStack: true,
      });
    }
  }
}

function notAPoint(value: unknown, where: string, name: string): Error {
  const length =
    typeof value === 'object' && value !== null && 'length' in value ? value.length : undefined;
  if (typeof length === 'number') {
    return invalidArgument(where, name, 'must have exactly 8 coordinates', length, {
      captureStack: true,
    });
  }
  return invalidArgument(
    where,
    name,
    'must be a point: an array or typed array of 8 finite numbers',
    value,
    { captureStack: true },
  );
}
