import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centroid,
  chebyshev,
  clampToUnit,
  cosineSimilarity,
  distancesInto,
  distancesToCenterInto,
  distanceToCenter,
  euclidean,
  isUnitPoint,
  manhattan,
  type Point,
} from './index.ts';
import { pointOf, thrown, ulpDistance } from './test-helpers.ts';

const coordinate = fc.double({ min: -1_000, max: 1_000, noNaN: true });
const pointArbitrary: fc.Arbitrary<Point> = pointOf(coordinate);
const origin: Point = [0, 0, 0, 0, 0, 0, 0, 0];
const tolerance = (scale: number): number => 1e-12 * Math.max(1, scale);

describe('distances', () => {
  it('measure hand-checked pairs', () => {
    const a: Point = [0, 0, 0, 0, 0, 0, 0, 0];
    const b: Point = [1, 1, 1, 1, 0, 0, 0, 0];
    expect(euclidean(a, b)).toBe(2);
    expect(manhattan(a, b)).toBe(4);
    expect(chebyshev(a, b)).toBe(1);
    expect(euclidean([3, 0, 0, 0, 0, 0, 0, 0], [0, 4, 0, 0, 0, 0, 0, 0])).toBe(5);
    expect(manhattan([0.5, 0, 0, 0, 0, 0, 0, -1], [0, 0, 0, 0, 0, 0, 0, 1])).toBe(2.5);
    expect(chebyshev([0, 0, 0, 0, 0, 0, 0, 0], [0.2, -0.9, 0, 0, 0, 0, 0, 0])).toBe(0.9);
  });

  it('are metrics: zero on equal points, symmetric, with the triangle inequality', () => {
    fc.assert(
      fc.property(pointArbitrary, pointArbitrary, pointArbitrary, (a, b, c) => {
        for (const distance of [euclidean, manhattan, chebyshev]) {
          expect(distance(a, a)).toBe(0);
          expect(distance(a, b)).toBe(distance(b, a));
          expect(distance(a, b)).toBeGreaterThanOrEqual(0);
          const direct = distance(a, c);
          expect(direct).toBeLessThanOrEqual(distance(a, b) + distance(b, c) + tolerance(direct));
        }
      }),
    );
  });

  it('order as chebyshev <= euclidean <= manhattan <= 8 × chebyshev', () => {
    fc.assert(
      fc.property(pointArbitrary, pointArbitrary, (a, b) => {
        const largest = chebyshev(a, b);
        const straight = euclidean(a, b);
        const blocks = manhattan(a, b);
        expect(largest).toBeLessThanOrEqual(straight + tolerance(straight));
        expect(straight).toBeLessThanOrEqual(blocks + tolerance(blocks));
        expect(blocks).toBeLessThanOrEqual(8 * largest + tolerance(blocks));
      }),
    );
  });

  it('accept typed arrays and subarray views', () => {
    const packed = new Float64Array([0, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 0, 0, 0, 0, 0]);
    expect(euclidean(packed.subarray(0, 8), packed.subarray(8, 16))).toBe(5);
  });

  it('reject points that are not 8 finite numbers, naming the argument', () => {
    expect(thrown(() => euclidean(origin, [1, 2, 3]))).toBeInstanceOf(ValidationError);
    expect(thrown(() => euclidean(origin, [1, 2, 3])).message).toBe(
      'euclidean: `b` must have exactly 8 coordinates (got 3)',
    );
    expect(
      thrown(() => manhattan([0, 0, 0, 0, 0, Number.POSITIVE_INFINITY, 0, 0], origin)).message,
    ).toBe('manhattan: `a[5]` must be a finite number from -1e150 to 1e150 (got Infinity)');
    expect(thrown(() => chebyshev(origin, ['1', 0, 0, 0, 0, 0, 0, 0] as never)).message).toBe(
      'chebyshev: `b[0]` must be a finite number from -1e150 to 1e150 (got "1")',
    );
    expect(thrown(() => cosineSimilarity(undefined as never, origin)).message).toBe(
      'cosineSimilarity: `a` must be a point: an array or typed array of 8 finite numbers (got undefined)',
    );
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal and -1 for opposite vectors', () => {
    expect(cosineSimilarity([1, 0, 0, 0, 0, 0, 0, 0], [2, 0, 0, 0, 0, 0, 0, 0])).toBe(1);
    expect(cosineSimilarity([1, 0, 0, 0, 0, 0, 0, 0], [0, 1, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(cosineSimilarity([1, 1, 0, 0, 0, 0, 0, 0], [-1, -1, 0, 0, 0, 0, 0, 0])).toBe(-1);
    expect(cosineSimilarity([1, 1, 0, 0, 0, 0, 0, 0], [1, 0, 0, 0, 0, 0, 0, 0])).toBeCloseTo(
      Math.SQRT1_2,
      15,
    );
  });

  it('is 0 against a zero vector', () => {
    expect(cosineSimilarity(origin, [1, 2, 3, 4, 5, 6, 7, 8])).toBe(0);
    expect(cosineSimilarity(origin, origin)).toBe(0);
  });

  it('stays in [-1, 1] and is symmetric', () => {
    fc.assert(
      fc.property(pointArbitrary, pointArbitrary, (a, b) => {
        const cosine = cosineSimilarity(a, b);
        expect(Math.abs(cosine)).toBeLessThanOrEqual(1);
        expect(cosineSimilarity(b, a)).toBe(cosine);
      }),
    );
  });
});

describe('isUnitPoint and clampToUnit', () => {
  it('recognise points of the unit hypercube', () => {
    expect(isUnitPoint([0, 1, 0.5, 0, 0, 0, 0, 1])).toBe(true);
    expect(isUnitPoint(new Float64Array(8))).toBe(true);
    expect(isUnitPoint([0, 1, 0.5, 0, 0, 1.01, 0, 1])).toBe(false);
    expect(isUnitPoint([0, 0, 0, 0, 0, 0, 0, Number.NaN])).toBe(false);
    expect(isUnitPoint([0, 0, 0, 0, 0, 0, 0])).toBe(false);
    expect(isUnitPoint(['0', 0, 0, 0, 0, 0, 0, 0])).toBe(false);
    expect(isUnitPoint(null)).toBe(false);
    expect(isUnitPoint('01234567')).toBe(false);
  });

  it('clamp every coordinate into [0, 1], leaving unit coordinates as they are', () => {
    expect(clampToUnit([0.5, 1.2, -0.1, 0, 1, 7, 0.3, 0.9])).toEqual([
      0.5, 1, 0, 0, 1, 1, 0.3, 0.9,
    ]);
    fc.assert(
      fc.property(pointArbitrary, (point) => {
        const clamped = clampToUnit(point);
        expect(isUnitPoint(clamped)).toBe(true);
        expect(clampToUnit(clamped)).toEqual(clamped);
        clamped.forEach((value, index) => {
          const original = point[index] ?? Number.NaN;
          if (original >= 0 && original <= 1) expect(value === original).toBe(true);
        });
      }),
    );
  });

  it('returns a new point', () => {
    const point: Point = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
    const clamped = clampToUnit(point);
    expect(clamped).not.toBe(point);
    expect(clamped).toEqual(point);
  });
});

describe('centroid', () => {
  it('averages each dimension', () => {
    expect(centroid([origin, [1, 1, 1, 1, 1, 1, 1, 1]])).toEqual([
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5,
    ]);
    expect(centroid([[1, 2, 3, 4, 5, 6, 7, 8]])).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(centroid(new Float64Array([0, 0, 0, 0, 0, 0, 0, 2, 1, 1, 1, 1, 1, 1, 1, 0]))).toEqual([
      0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1,
    ]);
  });

  it('returns a point itself for copies of it, and matches the plain mean', () => {
    fc.assert(
      fc.property(pointArbitrary, fc.integer({ min: 1, max: 50 }), (point, copies) => {
        const mean = centroid(Array.from({ length: copies }, () => point));
        mean.forEach((value, dimension) => {
          expect(ulpDistance(value, point[dimension] ?? Number.NaN)).toBeLessThanOrEqual(1);
        });
      }),
    );
    fc.assert(
      fc.property(fc.array(pointArbitrary, { minLength: 1, maxLength: 30 }), (points) => {
        const mean = centroid(points);
        mean.forEach((value, dimension) => {
          const plain =
            points.reduce((sum, point) => sum + (point[dimension] ?? 0), 0) / points.length;
          expect(value).toBeCloseTo(plain, 9);
        });
      }),
    );
  });

  it('stays exact where a running sum drifts', () => {
    // 0.1 added a million times drifts in a plain sum; the compensated mean stays 0.1.
    const packed = new Float64Array(8 * 1_000_000).fill(0.1);
    expect(centroid(packed)).toEqual(new Array(8).fill(0.1));
  });

  it('rejects no points, ragged packed arrays and non-finite coordinates', () => {
    expect(thrown(() => centroid([])).message).toBe(
      'centroid: `points` must be a non-empty array of points (got an array of 0 items)',
    );
    expect(thrown(() => centroid(new Float64Array(12))).message).toBe(
      'centroid: `points` must hold at least one point of 8 numbers (a length divisible by 8) (got 12)',
    );
    expect(
      thrown(() => centroid(new Float64Array([0, 0, 0, 0, 0, 0, 0, Number.NaN]))).message,
    ).toBe('centroid: `points[7]` must be a finite number from -1e150 to 1e150 (got NaN)');
    expect(thrown(() => centroid([origin, [1]])).message).toBe(
      'centroid: `points[1]` must have exactly 8 coordinates (got 1)',
    );
  });
});

describe('batch distances', () => {
  it('give each point the bits euclidean and distanceToCenter give it', () => {
    fc.assert(
      fc.property(fc.array(pointArbitrary, { maxLength: 30 }), pointArbitrary, (points, query) => {
        const packed = Float64Array.from(points.flat());
        const distances = distancesInto(packed, query, new Float64Array(points.length));
        const toCenter = distancesToCenterInto(packed, new Float64Array(points.length));
        points.forEach((point, index) => {
          expect(distances[index]).toBe(euclidean(point, query));
          expect(toCenter[index]).toBe(distanceToCenter(point));
        });
      }),
    );
  });

  it('reject ragged points and a small out', () => {
    expect(
      thrown(() => distancesInto(new Float64Array(9), origin, new Float64Array(2))).message,
    ).toBe(
      'distancesInto: `points` must be a Float64Array of 8 numbers per point (a length divisible by 8) (got 9)',
    );
    expect(
      thrown(() => distancesToCenterInto(new Float64Array(16), new Float64Array(1))).message,
    ).toBe(
      'distancesToCenterInto: `out` must be a Float64Array of at least 2 numbers (1 per point) (got 1)',
    );
    expect(thrown(() => distancesInto(new Float64Array(8), [0], new Float64Array(1))).message).toBe(
      'distancesInto: `query` must have exactly 8 coordinates (got 1)',
    );
  });
});
