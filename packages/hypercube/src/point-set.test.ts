import { ConfigurationError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  centroid,
  createPointSet,
  euclidean,
  MAX_COORDINATE,
  type Neighbor,
  type Point,
  position,
  positionsInto,
} from './index.ts';
import { metricsArbitrary, pointOf, sampleMetrics, thrown } from './test-helpers.ts';

/** Squared distance summed left to right: the definition, independent of the package. */
function squaredDistance(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let index = 0; index < 8; index++) {
    const delta = (a[index] ?? 0) - (b[index] ?? 0);
    sum += delta * delta;
  }
  return sum;
}

/** Every distance, a full sort by (distance, index), the first k. */
function bruteForceNearest(points: readonly Point[], query: Point, k: number): Neighbor[] {
  return points
    .map((point, index) => ({ index, squared: squaredDistance(point, query) }))
    .sort((a, b) => a.squared - b.squared || a.index - b.index)
    .slice(0, k)
    .map(({ index, squared }) => ({ index, distance: Math.sqrt(squared) }));
}

function bruteForceWithin(points: readonly Point[], query: Point, radius: number): Neighbor[] {
  return points
    .map((point, index) => ({ index, squared: squaredDistance(point, query) }))
    .filter(({ squared }) => Math.sqrt(squared) <= radius)
    .sort((a, b) => a.squared - b.squared || a.index - b.index)
    .map(({ index, squared }) => ({ index, distance: Math.sqrt(squared) }));
}

// A coarse grid makes equal distances (ties) common; the fine values make them rare.
const gridValue = fc.constantFrom(0, 0.25, 0.5, 0.75, 1);
const fineValue = fc.double({ min: -2, max: 2, noNaN: true });
const coordinate = fc.oneof(gridValue, gridValue, fineValue);
const pointArbitrary: fc.Arbitrary<Point> = pointOf(coordinate);

function setOf(points: readonly Point[]): ReturnType<typeof createPointSet> {
  const set = createPointSet({ initialCapacity: 4 });
  for (const point of points) set.add(point);
  return set;
}

function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

describe('PointSet.nearest', () => {
  it('agrees with a brute-force sort on random sets, ties included', () => {
    fc.assert(
      fc.property(
        fc.array(pointArbitrary, { maxLength: 120 }),
        pointArbitrary,
        fc.integer({ min: 1, max: 130 }),
        (points, query, k) => {
          const found = setOf(points).nearest(query, k);
          expect(found).toEqual(bruteForceNearest(points, query, k));
          for (const { index, distance } of found) {
            expect(distance).toBe(euclidean(points[index] ?? [], query));
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('breaks ties by insertion order', () => {
    const set = createPointSet();
    const far: Point = [1, 1, 1, 1, 1, 1, 1, 1];
    const near: Point = [0.5, 0, 0, 0, 0, 0, 0, 0];
    for (const point of [far, near, far, near, near, far]) set.add(point);
    expect(set.nearest([0, 0, 0, 0, 0, 0, 0, 0], 4)).toEqual([
      { index: 1, distance: 0.5 },
      { index: 3, distance: 0.5 },
      { index: 4, distance: 0.5 },
      { index: 0, distance: Math.sqrt(8) },
    ]);
  });

  it('is exact on 100,000 points, where skipping far points matters', () => {
    const random = seededRandom(7);
    const points: Point[] = Array.from(
      { length: 100_000 },
      () => Array.from({ length: 8 }, () => Math.round(random() * 64) / 64) as Point,
    );
    const set = setOf(points);
    for (let query = 0; query < 3; query++) {
      const target = Array.from({ length: 8 }, () => random()) as Point;
      expect(set.nearest(target, 10)).toEqual(bruteForceNearest(points, target, 10));
    }
    // A query equal to a stored point finds it first, at distance 0.
    expect(set.nearest(points[500] ?? [], 1)[0]?.distance).toBe(0);
  });

  it('returns the whole set, sorted, when k exceeds its size; nothing when empty', () => {
    const set = setOf([
      [3, 0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0],
    ]);
    expect(set.nearest([0, 0, 0, 0, 0, 0, 0, 0], 10)).toEqual([
      { index: 1, distance: 1 },
      { index: 0, distance: 3 },
    ]);
    expect(createPointSet().nearest([0, 0, 0, 0, 0, 0, 0, 0], 3)).toEqual([]);
  });

  it('ranks the largest accepted coordinates by their finite distance, in order', () => {
    const set = setOf([
      [MAX_COORDINATE, 0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, -MAX_COORDINATE / 2, 0, 0, 0, 0, 0, 0],
    ]);
    // Distances from the query: 1e150 + 1, about 1.118e150, and 2e150.
    expect(
      set.nearest([-MAX_COORDINATE, 0, 0, 0, 0, 0, 0, 0], 3).map(({ index }) => index),
    ).toEqual([1, 2, 0]);
    for (const { distance } of set.nearest([-MAX_COORDINATE, 0, 0, 0, 0, 0, 0, 0], 3)) {
      expect(Number.isFinite(distance)).toBe(true);
    }
  });

  it('rejects a bad query or k', () => {
    const set = setOf([[0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(thrown(() => set.nearest([0, 0], 1)).message).toBe(
      'nearest: `query` must have exactly 8 coordinates (got 2)',
    );
    for (const [k, shown] of [
      [0, '0'],
      [1.5, '1.5'],
      [-3, '-3'],
      [Number.NaN, 'NaN'],
    ] as const) {
      const error = thrown(() => set.nearest([0, 0, 0, 0, 0, 0, 0, 0], k));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(`nearest: \`k\` must be a positive integer (got ${shown})`);
    }
  });
});

describe('PointSet.withinRadius', () => {
  it('agrees with a brute-force filter, points exactly on the radius included', () => {
    fc.assert(
      fc.property(
        fc.array(pointArbitrary, { minLength: 1, maxLength: 100 }),
        pointArbitrary,
        fc.nat(),
        fc.double({ min: 0, max: 4, noNaN: true }),
        fc.boolean(),
        (points, query, pick, free, onAPoint) => {
          const radius = onAPoint ? euclidean(points[pick % points.length] ?? [], query) : free;
          expect(setOf(points).withinRadius(query, radius)).toEqual(
            bruteForceWithin(points, query, radius),
          );
        },
      ),
      { numRuns: 500 },
    );
  });

  it('includes everything with an infinite radius and only exact matches with 0', () => {
    const points: Point[] = [
      [0, 0, 0, 0, 0, 0, 0, 0],
      [1, 0, 0, 0, 0, 0, 0, 0],
      [0, 0, 0, 0, 0, 0, 0, 0],
    ];
    const set = setOf(points);
    expect(set.withinRadius([0, 0, 0, 0, 0, 0, 0, 0], 0)).toEqual([
      { index: 0, distance: 0 },
      { index: 2, distance: 0 },
    ]);
    expect(set.withinRadius([0, 0, 0, 0, 0, 0, 0, 0], Number.POSITIVE_INFINITY)).toHaveLength(3);
  });

  it('rejects a negative or NaN radius', () => {
    const set = createPointSet();
    for (const [radius, shown] of [
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      ['1', '"1"'],
    ] as const) {
      expect(
        thrown(() => set.withinRadius([0, 0, 0, 0, 0, 0, 0, 0], radius as number)).message,
      ).toBe(`withinRadius: \`radius\` must be a number of at least 0 (got ${shown})`);
    }
  });
});

describe('PointSet storage', () => {
  it('grows past its initial capacity, keeping every point', () => {
    const set = createPointSet({ initialCapacity: 1 });
    const points: Point[] = Array.from(
      { length: 1_000 },
      (_, index) => [index, -index, index / 3, 0, 1, 2, 3, index % 7] as Point,
    );
    points.forEach((point, index) => {
      expect(set.add(point)).toBe(index);
    });
    expect(set.size).toBe(1_000);
    points.forEach((point, index) => {
      expect(set.get(index)).toEqual(point);
    });
    expect(set.rows()).toEqual(Float64Array.from(points.flat()));
  });

  it('copies points in, and gives copies out', () => {
    const set = createPointSet();
    const point: Point = [1, 2, 3, 4, 5, 6, 7, 8];
    set.add(point);
    point[0] = 99;
    const copy = set.get(0);
    copy[1] = 99;
    expect(set.get(0)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('adds packed rows all or nothing', () => {
    const set = createPointSet({ initialCapacity: 1 });
    set.add([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(set.addRows(new Float64Array(24).fill(2))).toBe(1);
    expect(set.size).toBe(4);
    const bad = new Float64Array(16).fill(1);
    bad[13] = Number.POSITIVE_INFINITY;
    const error = thrown(() => set.addRows(bad));
    expect(error.message).toBe(
      'addRows: `rows[13]` must be a finite number from -1e150 to 1e150 (got Infinity)',
    );
    expect(error.stack).not.toContain('\n    at ');
    expect(set.size).toBe(4);
    expect(thrown(() => set.addRows(new Float64Array(7))).message).toBe(
      'addRows: `rows` must be a Float64Array of 8 numbers per point (a length divisible by 8) (got 7)',
    );
  });

  it('adds the positions of metrics, all or nothing, like positionsInto', () => {
    fc.assert(
      fc.property(fc.array(metricsArbitrary, { maxLength: 30 }), (records) => {
        const set = createPointSet({ initialCapacity: 2 });
        set.add([9, 9, 9, 9, 9, 9, 9, 9]);
        expect(set.addMetrics(records)).toBe(1);
        expect(set.size).toBe(records.length + 1);
        const expected = positionsInto(records, new Float64Array(records.length * 8));
        expect([...set.rows().subarray(8)]).toEqual([...expected]);
      }),
      { numRuns: 100 },
    );
    const set = createPointSet();
    set.addMetrics([sampleMetrics]);
    const error = thrown(() =>
      set.addMetrics([sampleMetrics, { ...sampleMetrics, impactFactor: 2 }]),
    );
    expect(error.message).toBe('metrics[1].impactFactor must be a number from 0 to 1 (got 2)');
    expect(set.size).toBe(1);
    expect(set.get(0)).toEqual(position(sampleMetrics));
  });

  it('encodes categories with its own options', () => {
    const set = createPointSet({ categoryTable: { pottery: 1 }, strictCategories: true });
    set.addMetrics([{ ...sampleMetrics, category: 'Pottery' }]);
    expect(set.get(0)[0]).toBe(0.8);
    expect(thrown(() => set.addMetrics([{ ...sampleMetrics, category: 'physics' }])).message).toBe(
      'metrics[0].category must be one of pottery (got "physics")',
    );
    expect(set.size).toBe(1);
  });

  it('computes the centroid of its points', () => {
    fc.assert(
      fc.property(fc.array(pointArbitrary, { minLength: 1, maxLength: 50 }), (points) => {
        expect(setOf(points).centroid()).toEqual(centroid(points));
      }),
    );
    const error = thrown(() => createPointSet().centroid());
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('centroid: the point set is empty (add points first)');
  });

  it('clears its points and can be reused', () => {
    const set = setOf([[1, 1, 1, 1, 1, 1, 1, 1]]);
    set.clear();
    expect(set.size).toBe(0);
    expect(set.rows()).toHaveLength(0);
    expect(set.nearest([0, 0, 0, 0, 0, 0, 0, 0], 1)).toEqual([]);
    expect(set.add([2, 2, 2, 2, 2, 2, 2, 2])).toBe(0);
  });

  it('rejects bad points and indexes', () => {
    const set = setOf([[0, 0, 0, 0, 0, 0, 0, 0]]);
    expect(thrown(() => set.add([0, 0, 0, 0, Number.NaN, 0, 0, 0])).message).toBe(
      'add: `point[4]` must be a finite number from -1e150 to 1e150 (got NaN)',
    );
    expect(thrown(() => set.get(1)).message).toBe(
      'get: `index` must be an integer from 0 to 0 (got 1)',
    );
    expect(set.size).toBe(1);
  });

  it('validates its options', () => {
    expect(thrown(() => createPointSet({ initialCapacity: 0 }))).toBeInstanceOf(ConfigurationError);
    expect(thrown(() => createPointSet({ initialCapacity: 0 })).message).toBe(
      'createPointSet: `initialCapacity` must be a positive integer (got 0)',
    );
    expect(thrown(() => createPointSet({ capacity: 5 } as never)).message).toBe(
      'createPointSet: `capacity` is not a known option',
    );
    expect(thrown(() => createPointSet({ categoryTable: { a: 2 } })).message).toBe(
      'createPointSet: `categoryTable.a` must be a number from 0 to 1 (got 2)',
    );
  });
});
