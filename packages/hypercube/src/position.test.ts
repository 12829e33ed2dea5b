import { ConfigurationError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DIMENSION_INDEX, DIMENSIONS, encodeCategory, position, positionInto } from './index.ts';
import {
  metricsArbitrary,
  sampleMetrics,
  seedNormalize,
  thrown,
  ulpDistance,
} from './test-helpers.ts';

const zero = {
  problemDifficulty: 0,
  solutionQuality: 0,
  validationConfidence: 0,
  impactFactor: 0,
  noveltyScore: 0,
  category: 'physics',
  userComplexity: 0,
  timeTaken: 0,
};

describe('position', () => {
  it('orders the dimensions X, Y, Z, T, K, E, C, S', () => {
    expect(DIMENSIONS).toEqual(['X', 'Y', 'Z', 'T', 'K', 'E', 'C', 'S']);
    expect(DIMENSIONS.map((dimension) => DIMENSION_INDEX[dimension])).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
  });

  it('computes the hand-checked example', () => {
    // X = 0.8 × 0.6, Y = 0.9 × 0.5, Z = log10(2) / log10(1000), T = log10(3600) / log10(604800),
    // K = 0.7, E = 1, C = 0.8, S = 0.6 (decimal logarithms from 40-digit arithmetic).
    const point = position(sampleMetrics);
    expect(point).toHaveLength(8);
    expect(point[0]).toBeCloseTo(0.48, 15);
    expect(point[1]).toBeCloseTo(0.45, 15);
    expect(point[2]).toBeCloseTo(0.301_029_995_663_981_2 / 3, 15);
    expect(point[3]).toBeCloseTo(3.556_302_500_767_287 / 5.781_611_782_493_15, 15);
    expect(point.slice(4)).toEqual([0.7, 1, 0.8, 0.6]);
  });

  it('maps all-zero metrics to the origin', () => {
    expect(position(zero)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('reaches 1 on every bounded axis at the caps', () => {
    const point = position({
      problemDifficulty: 1,
      solutionQuality: 1,
      validationConfidence: 1,
      impactFactor: 1,
      noveltyScore: 1,
      category: 'social science',
      userComplexity: 999,
      timeTaken: 604_800,
    });
    expect(point).toEqual([0.9, 1, 1, 1, 1, 999, 1, 1]);
  });

  it('keeps E raw, so it leaves [0, 1] when userComplexity > 1', () => {
    const point = position({ ...sampleMetrics, userComplexity: 250 });
    expect(point[DIMENSION_INDEX.E]).toBe(250);
    expect(point[DIMENSION_INDEX.Z]).toBeLessThan(1);
  });

  it('puts X, Y, Z, T, K, C, S in [0, 1] and E = userComplexity for any valid metrics', () => {
    fc.assert(
      fc.property(metricsArbitrary, (metrics) => {
        const point = position(metrics);
        for (const dimension of ['X', 'Y', 'Z', 'T', 'K', 'C', 'S'] as const) {
          const value = point[DIMENSION_INDEX[dimension]];
          expect(value).toBeGreaterThanOrEqual(0);
          expect(value).toBeLessThanOrEqual(1);
        }
        expect(point[DIMENSION_INDEX.E]).toBe(metrics.userComplexity);
      }),
      { numRuns: 1_000 },
    );
  });

  it('follows the seed formulas for any valid metrics', () => {
    fc.assert(
      fc.property(metricsArbitrary, (metrics) => {
        const [x, y, z, t, k, e, c, s] = position(metrics);
        expect(x).toBe(metrics.problemDifficulty * encodeCategory(metrics.category));
        expect(y).toBe(metrics.solutionQuality * metrics.validationConfidence);
        expect(ulpDistance(z, seedNormalize(metrics.userComplexity, 1_000))).toBeLessThanOrEqual(4);
        expect(ulpDistance(t, seedNormalize(metrics.timeTaken, 604_800))).toBeLessThanOrEqual(4);
        expect([k, e, c, s]).toEqual([
          metrics.impactFactor,
          metrics.userComplexity,
          metrics.problemDifficulty,
          metrics.noveltyScore,
        ]);
      }),
      { numRuns: 1_000 },
    );
  });

  it('returns a fresh array each time', () => {
    const first = position(sampleMetrics);
    first[0] = 99;
    expect(position(sampleMetrics)[0]).toBeCloseTo(0.48, 15);
  });

  it('uses a custom category table', () => {
    const options = { categoryTable: { 'Computer Science': 0.25 } };
    expect(position(sampleMetrics, options)[0]).toBe(0.8 * 0.25);
    expect(position({ ...sampleMetrics, category: 'physics' }, options)[0]).toBe(0.8 * 0.5);
  });

  it('rejects an unknown category with strictCategories', () => {
    const options = { strictCategories: true };
    const error = thrown(() => position({ ...sampleMetrics, category: 'Cooking' }, options));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/^category must be one of physics, .* \(got "Cooking"\)$/);
    expect(position({ ...sampleMetrics, category: 'cooking' })[0]).toBe(0.8 * 0.5);
  });

  it('rejects unknown or malformed options as a configuration error', () => {
    const typo = thrown(() => position(sampleMetrics, { strictCategory: true } as never));
    expect(typo).toBeInstanceOf(ConfigurationError);
    expect(typo.message).toBe('position: `strictCategory` is not a known option');
    const badTable = thrown(() => position(sampleMetrics, { categoryTable: { physics: -1 } }));
    expect(badTable.message).toBe(
      'position: `categoryTable.physics` must be a number from 0 to 1 (got -1)',
    );
    expect(
      thrown(() => position(sampleMetrics, { strictCategories: 'yes' as never })).message,
    ).toBe('position: `strictCategories` must be a boolean (got "yes")');
    expect(thrown(() => position(sampleMetrics, null as never)).message).toBe(
      'position: the input must be an object (got null)',
    );
  });
});

describe('positionInto', () => {
  it('writes the same bits as position at the offset, and nothing else', () => {
    const out = new Float64Array(20).fill(-1);
    expect(positionInto(sampleMetrics, out, 4)).toBe(out);
    expect([...out.subarray(4, 12)]).toEqual(position(sampleMetrics));
    expect([...out.subarray(0, 4), ...out.subarray(12)]).toEqual(new Array(12).fill(-1));
  });

  it('writes at 0 by default and accepts options', () => {
    const out = new Float64Array(8);
    positionInto({ ...sampleMetrics, category: 'x' }, out, 0, { categoryTable: { x: 1 } });
    expect(out[0]).toBe(0.8);
  });

  it('writes nothing when the metrics are invalid', () => {
    const out = new Float64Array(8).fill(7);
    const error = thrown(() => positionInto({ ...sampleMetrics, impactFactor: 9 }, out));
    expect(error.message).toBe('impactFactor must be a number from 0 to 1 (got 9)');
    expect([...out]).toEqual(new Array(8).fill(7));
  });

  it('rejects an offset without room for 8 numbers, and an out that is not a Float64Array', () => {
    const out = new Float64Array(10);
    expect(thrown(() => positionInto(sampleMetrics, out, 3)).message).toBe(
      'positionInto: `offset` must be a non-negative integer leaving room for 8 numbers in out (length 10) (got 3)',
    );
    expect(thrown(() => positionInto(sampleMetrics, out, 0.5)).message).toContain('(got 0.5)');
    expect(thrown(() => positionInto(sampleMetrics, [] as never)).message).toBe(
      'positionInto: `out` must be a Float64Array (got an array of 0 items)',
    );
  });
});
