import { describe, expect, it } from 'vitest';
import { median, quantile, relativeInterquartileRange } from './stats.ts';

describe('median', () => {
  it('is the middle value of an odd count, whatever the order', () => {
    expect(median([9, 1, 5])).toBe(5);
  });

  it('is the mean of the two middle values of an even count', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('ignores a single huge outlier', () => {
    expect(median([10, 11, 12, 10_000])).toBe(11.5);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    median(values);
    expect(values).toEqual([3, 1, 2]);
  });

  it('rejects an empty list', () => {
    expect(() => median([])).toThrow(RangeError);
  });
});

describe('quantile', () => {
  it('interpolates linearly between ranks', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.25)).toBe(2);
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.75)).toBe(3.25);
  });

  it('returns the extremes at 0 and 1', () => {
    expect(quantile([7, 3, 5], 0)).toBe(3);
    expect(quantile([7, 3, 5], 1)).toBe(7);
  });

  it('rejects q outside [0, 1]', () => {
    expect(() => quantile([1], 1.5)).toThrow(RangeError);
    expect(() => quantile([1], Number.NaN)).toThrow(RangeError);
  });
});

describe('relativeInterquartileRange', () => {
  it('is the interquartile range divided by the median', () => {
    // q1 = 1.75, q3 = 3.25, median = 2.5
    expect(relativeInterquartileRange([1, 2, 3, 4])).toBeCloseTo(1.5 / 2.5, 12);
  });

  it('is 0 when every sample agrees', () => {
    expect(relativeInterquartileRange([8, 8, 8, 8])).toBe(0);
  });

  it('is scale-free', () => {
    const samples = [100, 103, 98, 101, 120, 99];
    expect(relativeInterquartileRange(samples.map((value) => value * 1000))).toBeCloseTo(
      relativeInterquartileRange(samples),
      12,
    );
  });

  it('is 0 rather than a division by zero when the median is 0', () => {
    expect(relativeInterquartileRange([0, 0, 1])).toBe(0);
  });
});
