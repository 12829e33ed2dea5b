import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPLEXITY_SCALE,
  normalizeComplexity,
  normalizeTime,
  TIME_SCALE_SECONDS,
} from './index.ts';
import { nonNegativeArbitrary, seedNormalize, thrown, ulpDistance } from './test-helpers.ts';

describe('normalizeTime', () => {
  it('is 0 for no time and 1 from one week on', () => {
    expect(TIME_SCALE_SECONDS).toBe(604_800);
    expect(normalizeTime(0)).toBe(0);
    expect(normalizeTime(604_799)).toBe(1);
    expect(normalizeTime(604_800)).toBe(1);
    expect(normalizeTime(10 * 604_800)).toBe(1);
    expect(normalizeTime(1e150)).toBe(1);
  });

  it('matches hand-computed values: log10(t + 1) / log10(604800)', () => {
    // Decimal logarithms to 16 digits, from tables (40-digit decimal arithmetic).
    const LOG10_WEEK = 5.781_611_782_493_15;
    expect(normalizeTime(9)).toBeCloseTo(1 / LOG10_WEEK, 15); // log10(10) = 1
    expect(normalizeTime(3_599)).toBeCloseTo(3.556_302_500_767_287 / LOG10_WEEK, 15);
    expect(normalizeTime(86_399)).toBeCloseTo(4.936_513_742_478_893 / LOG10_WEEK, 15);
    expect(normalizeTime(0.5)).toBeCloseTo(0.176_091_259_055_681_24 / LOG10_WEEK, 15);
  });

  it('stays within 4 ulps of the seed formula and in [0, 1]', () => {
    fc.assert(
      fc.property(nonNegativeArbitrary, (seconds) => {
        const value = normalizeTime(seconds);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(ulpDistance(value, seedNormalize(seconds, 604_800))).toBeLessThanOrEqual(4);
      }),
      { numRuns: 2_000 },
    );
  });

  it('never decreases as the time grows', () => {
    fc.assert(
      fc.property(nonNegativeArbitrary, nonNegativeArbitrary, (a, b) => {
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(normalizeTime(low)).toBeLessThanOrEqual(normalizeTime(high));
      }),
      { numRuns: 2_000 },
    );
  });

  it.each([
    [-1, 'timeTaken must be a non-negative number up to 1e150 (got -1)', 'too_small'],
    [Number.NaN, 'timeTaken must be a non-negative number up to 1e150 (got NaN)', 'invalid_type'],
    [
      Number.POSITIVE_INFINITY,
      'timeTaken must be a non-negative number up to 1e150 (got Infinity)',
      'invalid_type',
    ],
    ['5', 'timeTaken must be a non-negative number up to 1e150 (got "5")', 'invalid_type'],
  ])('rejects %s with a ValidationError', (seconds, message, code) => {
    const error = thrown(() => normalizeTime(seconds as number));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(message);
    expect(error.issues).toEqual([
      { path: 'timeTaken', message: message.slice('timeTaken '.length), code },
    ]);
  });
});

describe('normalizeComplexity', () => {
  it('is 0 at 0, a third per decade, and 1 from 999 on', () => {
    expect(COMPLEXITY_SCALE).toBe(1_000);
    expect(normalizeComplexity(0)).toBe(0);
    expect(normalizeComplexity(9)).toBeCloseTo(1 / 3, 15);
    expect(normalizeComplexity(99)).toBeCloseTo(2 / 3, 15);
    expect(normalizeComplexity(999)).toBe(1);
    expect(normalizeComplexity(1_000)).toBe(1);
    expect(normalizeComplexity(1e150)).toBe(1);
  });

  it('matches log10(c + 1) / 3 on fractions', () => {
    expect(normalizeComplexity(1)).toBeCloseTo((Math.LOG10E * Math.LN2) / 3, 15);
    expect(normalizeComplexity(0.25)).toBeCloseTo(0.096_910_013_008_056_4 / 3, 15);
  });

  it('stays within 4 ulps of the seed formula, in [0, 1], never decreasing', () => {
    fc.assert(
      fc.property(nonNegativeArbitrary, nonNegativeArbitrary, (a, b) => {
        const value = normalizeComplexity(a);
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(1);
        expect(ulpDistance(value, seedNormalize(a, 1_000))).toBeLessThanOrEqual(4);
        const [low, high] = a <= b ? [a, b] : [b, a];
        expect(normalizeComplexity(low)).toBeLessThanOrEqual(normalizeComplexity(high));
      }),
      { numRuns: 2_000 },
    );
  });

  it('rejects a negative complexity, naming userComplexity', () => {
    const error = thrown(() => normalizeComplexity(-0.5));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      'userComplexity must be a non-negative number up to 1e150 (got -0.5)',
    );
  });
});
