import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centroid,
  chebyshev,
  cosineSimilarity,
  createPointSet,
  euclidean,
  MAX_COORDINATE,
  manhattan,
  type Point,
  position,
  positionsInto,
} from './index.ts';
import { metricsArbitrary, sampleMetrics, thrown } from './test-helpers.ts';

const coordinate = fc.oneof(
  fc.double({ min: -MAX_COORDINATE, max: MAX_COORDINATE, noNaN: true }),
  fc.constantFrom(MAX_COORDINATE, -MAX_COORDINATE, 0, 1e-300, -5e-324),
);
const point = fc.tuple(...Array.from({ length: 8 }, () => coordinate)) as fc.Arbitrary<Point>;

describe('finite in, finite out', () => {
  it('gives finite distances, similarities and centroids for every accepted point (property)', () => {
    fc.assert(
      fc.property(point, point, (a, b) => {
        for (const result of [
          euclidean(a, b),
          manhattan(a, b),
          chebyshev(a, b),
          cosineSimilarity(a, b),
          ...centroid([a, b]),
        ]) {
          expect(Number.isFinite(result)).toBe(true);
        }
        expect(Math.abs(cosineSimilarity(a, b))).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('gives 1 for parallel vectors at any scale, however large or tiny (property)', () => {
    const scale = fc.constantFrom(1e-300, 1e-200, 1e-160, 1, 1e100, 1e149);
    const unit = fc.tuple(
      ...Array.from({ length: 8 }, () => fc.double({ min: 0.1, max: 1, noNaN: true })),
    );
    fc.assert(
      fc.property(unit, scale, scale, (direction, first, second) => {
        const a = direction.map((x) => x * first);
        const b = direction.map((x) => x * second);
        expect(cosineSimilarity(a, b)).toBeCloseTo(1, 12);
      }),
    );
  });

  it('keeps positions of every accepted record finite, centroids included (property)', () => {
    fc.assert(
      fc.property(fc.array(metricsArbitrary, { minLength: 1, maxLength: 20 }), (records) => {
        const packed = new Float64Array(records.length * 8);
        positionsInto(records, packed);
        expect(packed.every((value) => Number.isFinite(value))).toBe(true);
        expect(centroid(packed).every((value) => Number.isFinite(value))).toBe(true);
        const set = createPointSet();
        set.addRows(packed);
        for (const { distance } of set.nearest(
          position(records[0] as (typeof records)[number]),
          records.length,
        )) {
          expect(Number.isFinite(distance)).toBe(true);
        }
      }),
    );
  });

  it('refuses raw metrics and coordinates beyond the bound, naming them (property)', () => {
    const beyond = fc.double({ min: MAX_COORDINATE, minExcluded: true, noNaN: true });
    fc.assert(
      fc.property(beyond, fc.constantFrom('userComplexity', 'timeTaken'), (value, field) => {
        const error = thrown(() => position({ ...sampleMetrics, [field]: value }));
        expect(error).toBeInstanceOf(ValidationError);
        expect(error.message.startsWith(`${field} must be a non-negative number up to 1e150`)).toBe(
          true,
        );
        const bad: Point = [0, 0, 0, value, 0, 0, 0, 0];
        expect(thrown(() => euclidean(bad, bad)).message).toContain('`a[3]`');
      }),
    );
  });
});

describe('hostile metrics objects', () => {
  const hostile = fc.constantFrom(
    () =>
      Object.defineProperty({ ...sampleMetrics }, 'timeTaken', {
        get() {
          throw new TypeError('getter');
        },
      }),
    () =>
      new Proxy(
        {},
        {
          get() {
            throw new TypeError('proxy');
          },
        },
      ),
    () =>
      new Proxy(
        { ...sampleMetrics },
        {
          get(target, key, receiver) {
            if (key === 'category') throw new TypeError('proxy');
            return Reflect.get(target, key, receiver);
          },
        },
      ),
  );

  it('throws a ValidationError, never the raw error (property)', () => {
    fc.assert(
      fc.property(hostile, (make) => {
        expect(thrown(() => position(make() as never))).toBeInstanceOf(ValidationError);
        expect(thrown(() => positionsInto([make() as never], new Float64Array(8)))).toBeInstanceOf(
          ValidationError,
        );
        expect(thrown(() => euclidean(make() as never, [0, 0, 0, 0, 0, 0, 0, 0]))).toBeInstanceOf(
          ValidationError,
        );
      }),
    );
  });
});
