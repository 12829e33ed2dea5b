import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { nextPeriodStart, periodStart } from './rotation-period.ts';

describe('rotation periods', () => {
  it('start at UTC midnight and on the hour', () => {
    const now = Date.UTC(2026, 0, 31, 13, 45, 12, 5);
    expect(periodStart('daily', now)).toBe(Date.UTC(2026, 0, 31));
    expect(nextPeriodStart('daily', now)).toBe(Date.UTC(2026, 1, 1));
    expect(periodStart('hourly', now)).toBe(Date.UTC(2026, 0, 31, 13));
    expect(nextPeriodStart('hourly', now)).toBe(Date.UTC(2026, 0, 31, 14));
  });

  it('always contain the time they are computed from', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4_000_000_000_000 }),
        fc.oneof(
          fc.constantFrom('daily' as const, 'hourly' as const),
          fc.integer({ min: 1_000, max: 10_000_000 }),
        ),
        (now, frequency) => {
          const start = periodStart(frequency, now);
          const end = nextPeriodStart(frequency, now);
          expect(start).toBeLessThanOrEqual(now);
          expect(end).toBeGreaterThan(now);
          expect(periodStart(frequency, end)).toBe(end);
        },
      ),
    );
  });
});
