import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTimeFragment } from './iso-time.ts';

const expected = (milliseconds: number): string =>
  `,"time":"${new Date(milliseconds).toISOString()}"`;

describe('isoTimeFragment', () => {
  it('formats like Date#toISOString, whatever order times come in', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 253_402_300_799_999 }), { minLength: 1, maxLength: 20 }),
        (times) => {
          for (const time of times) expect(isoTimeFragment(time)).toBe(expected(time));
        },
      ),
    );
  });

  it('pads milliseconds and reuses the cached second and millisecond correctly', () => {
    const second = Date.UTC(2026, 0, 31, 12, 0, 0);
    expect(isoTimeFragment(second + 7)).toBe(',"time":"2026-01-31T12:00:00.007Z"');
    expect(isoTimeFragment(second + 7)).toBe(',"time":"2026-01-31T12:00:00.007Z"');
    expect(isoTimeFragment(second + 42)).toBe(',"time":"2026-01-31T12:00:00.042Z"');
    expect(isoTimeFragment(second + 999)).toBe(',"time":"2026-01-31T12:00:00.999Z"');
    expect(isoTimeFragment(second + 1_000)).toBe(',"time":"2026-01-31T12:00:01.000Z"');
  });

  it('handles times outside four-digit years and fractional or non-finite clocks', () => {
    expect(isoTimeFragment(-1)).toBe(expected(-1));
    expect(isoTimeFragment(253_402_300_800_000)).toBe(expected(253_402_300_800_000));
    expect(isoTimeFragment(1_000.9)).toBe(expected(1_000));
    expect(isoTimeFragment(Number.NaN)).toMatch(/^,"time":"\d{4}-\d\d-\d\dT[\d:.]+Z"$/);
  });
});
