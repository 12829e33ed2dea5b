import { describe, expect, it } from 'vitest';
import { formatNanoseconds, formatNumber, formatPercent, ratio } from './format.ts';

describe('ratio', () => {
  it('shows two decimals and a multiplication sign', () => {
    expect(ratio(1.234)).toBe('1.23×');
    expect(ratio(2.3149)).toBe('2.31×');
    expect(ratio(1)).toBe('1.00×');
    expect(ratio(0.5)).toBe('0.50×');
  });

  it('rounds to whole numbers with separators from 100 up', () => {
    expect(ratio(123.456)).toBe('123×');
    expect(ratio(12_345.6)).toBe('12,346×');
  });

  it('keeps two significant digits for tiny ratios instead of showing 0.00×', () => {
    expect(ratio(0.001234)).toBe('0.0012×');
    expect(ratio(0)).toBe('0.00×');
  });

  it('says n/a for NaN and ∞ for infinities', () => {
    expect(ratio(Number.NaN)).toBe('n/a');
    expect(ratio(Number.POSITIVE_INFINITY)).toBe('∞×');
  });
});

describe('formatNanoseconds', () => {
  it('keeps three significant digits below 100', () => {
    expect(formatNanoseconds(1.23456)).toBe('1.23');
    expect(formatNanoseconds(85.26)).toBe('85.3');
  });

  it('rounds and groups from 100 up', () => {
    expect(formatNanoseconds(123.6)).toBe('124');
    expect(formatNanoseconds(1_234_567.8)).toBe('1,234,568');
  });
});

describe('formatPercent', () => {
  it('shows one decimal', () => {
    expect(formatPercent(0.0123)).toBe('1.2%');
    expect(formatPercent(0)).toBe('0.0%');
  });
});

describe('formatNumber', () => {
  it('groups integers by thousands', () => {
    expect(formatNumber(1_234_567)).toBe('1,234,567');
    expect(formatNumber(-1234)).toBe('-1,234');
    expect(formatNumber(999)).toBe('999');
  });

  it('keeps at most three decimals without trailing zeros', () => {
    expect(formatNumber(0.12345)).toBe('0.123');
    expect(formatNumber(1234.5)).toBe('1,234.5');
    expect(formatNumber(-0.5)).toBe('-0.5');
  });
});
