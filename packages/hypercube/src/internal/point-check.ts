import { invalidArgument, isRampartError } from '@rampart/errors';
import { MAX_COORDINATE, type PointLike } from '../dimensions.ts';

/**
 * Checks that `value` is a point: array-like, exactly 8 entries, each a finite number.
 * Hot geometry calls use it, so the passing path is a handful of comparisons.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} naming the argument and the bad coordinate: ``euclidean: `a[3]`
 *   must be a finite number (got NaN)``.
 */
export function checkPoint(value: PointLike, where: string, name: string): void {
  let index = -1;
  let coordinate: unknown;
  try {
    if (typeof value !== 'object' || value === null || value.length !== 8) {
      throw notAPoint(value, where, name);
    }
    for (index = 0; index < 8; index++) {
      coordinate = value[index];
      if (
        !(
          typeof coordinate === 'number' &&
          coordinate >= -MAX_COORDINATE &&
          coordinate <= MAX_COORDINATE
        )
      ) {
        break;
      }
    }
  } catch (error) {
    if (isRampartError(error)) throw error;
    // A throwing getter or Proxy trap: name the argument, never leak the raw error.
    throw invalidArgument(
      where,
      index < 0 ? name : `${name}[${index}]`,
      'must be readable',
      value,
      {
        captureStack: true,
      },
    );
  }
  if (index < 8) {
    throw invalidArgument(where, `${name}[${index}]`, COORDINATE_EXPECTATION, coordinate, {
      captureStack: true,
    });
  }
}

/** The one wording of the coordinate rule. */
export const COORDINATE_EXPECTATION = 'must be a finite number from -1e150 to 1e150';

/** Whether a coordinate is within {@link MAX_COORDINATE} (NaN and infinities fail). */
export function isCoordinate(value: number): boolean {
  return value >= -MAX_COORDINATE && value <= MAX_COORDINATE;
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
