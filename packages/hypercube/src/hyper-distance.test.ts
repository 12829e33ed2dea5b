import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distanceToCenter,
  hyperDistanceTarget,
  MAX_CENTER_DISTANCE,
  meetsHyperDistance,
  type Point,
} from './index.ts';
import { pointOf, thrown, unitArbitrary } from './test-helpers.ts';

const center: Point = [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
const unitPoint = pointOf(unitArbitrary);
const difficultyArbitrary = fc.oneof(
  fc.integer({ min: 0, max: 64 }),
  fc.double({ min: 0, max: 1_000, noNaN: true }),
);

describe('hyper-distance', () => {
  it('measures the Euclidean distance to (0.5, …, 0.5)', () => {
    expect(distanceToCenter(center)).toBe(0);
    expect(distanceToCenter([1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5])).toBe(0.5);
    expect(distanceToCenter([1, 1, 1, 1, 1, 1, 1, 1])).toBe(Math.SQRT2);
    expect(distanceToCenter([0, 1, 0, 1, 0, 1, 0, 1])).toBe(Math.SQRT2);
    expect(distanceToCenter(new Float64Array([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 1.5]))).toBe(1);
  });

  it('caps the distance of unit points at MAX_CENTER_DISTANCE = √2', () => {
    expect(MAX_CENTER_DISTANCE).toBe(Math.SQRT2);
    fc.assert(
      fc.property(unitPoint, (point) => {
        expect(distanceToCenter(point)).toBeLessThanOrEqual(MAX_CENTER_DISTANCE);
      }),
    );
  });

  it('targets √2 × 0.5^(difficulty / 4)', () => {
    expect(hyperDistanceTarget(0)).toBe(Math.SQRT2);
    expect(hyperDistanceTarget(2)).toBeCloseTo(1, 15);
    expect(hyperDistanceTarget(4)).toBe(Math.SQRT2 / 2);
    expect(hyperDistanceTarget(8)).toBe(Math.SQRT2 / 4);
    expect(hyperDistanceTarget(1)).toBeCloseTo(1.189_207_115_002_721, 15);
  });

  it('halves the target every 4 levels and never increases it', () => {
    fc.assert(
      fc.property(difficultyArbitrary, difficultyArbitrary, (a, b) => {
        expect(hyperDistanceTarget(a + 4)).toBeCloseTo(hyperDistanceTarget(a) / 2, 14);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(hyperDistanceTarget(high)).toBeLessThanOrEqual(hyperDistanceTarget(low));
      }),
    );
  });

  it('meets the target only strictly below it', () => {
    // A corner is exactly √2 away: not below the difficulty-0 target.
    expect(meetsHyperDistance([1, 1, 1, 1, 1, 1, 1, 1], 0)).toBe(false);
    expect(meetsHyperDistance([0.99, 1, 1, 1, 1, 1, 1, 1], 0)).toBe(true);
    // 0.5 away: meets 4 (√2/2 ≈ 0.707) but not 8 (√2/4 ≈ 0.354).
    const point: Point = [1, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5];
    expect(meetsHyperDistance(point, 4)).toBe(true);
    expect(meetsHyperDistance(point, 8)).toBe(false);
    fc.assert(
      fc.property(unitPoint, difficultyArbitrary, (candidate, difficulty) => {
        expect(meetsHyperDistance(candidate, difficulty)).toBe(
          distanceToCenter(candidate) < hyperDistanceTarget(difficulty),
        );
      }),
    );
  });

  it.each([
    [-1, '-1'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['4', '"4"'],
  ])('rejects the difficulty %s', (difficulty, shown) => {
    const error = thrown(() => hyperDistanceTarget(difficulty as number));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      `hyperDistanceTarget: \`difficulty\` must be a finite number of at least 0 (got ${shown})`,
    );
    expect(thrown(() => meetsHyperDistance(center, difficulty as number)).message).toContain(
      'meetsHyperDistance: `difficulty`',
    );
  });

  it('rejects a point that is not 8 finite numbers', () => {
    expect(thrown(() => distanceToCenter([0.5, 0.5])).message).toBe(
      'distanceToCenter: `point` must have exactly 8 coordinates (got 2)',
    );
    expect(thrown(() => distanceToCenter([0, 0, 0, Number.NaN, 0, 0, 0, 0])).message).toBe(
      'distanceToCenter: `point[3]` must be a finite number from -1e150 to 1e150 (got NaN)',
    );
    expect(thrown(() => meetsHyperDistance(null as never, 1)).message).toBe(
      'meetsHyperDistance: `point` must be a point: an array or typed array of 8 finite numbers (got null)',
    );
  });
});
