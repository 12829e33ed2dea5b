import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoff } from './backoff.ts';

const random = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const attempt = fc.integer({ min: 1, max: 2_000 });
const previous = fc.integer({ min: 0, max: 1_000_000 });
const bounds = fc
  .record({
    baseMs: fc.integer({ min: 0, max: 100_000 }),
    extraMs: fc.integer({ min: 0, max: 1_000_000 }),
    multiplier: fc.double({ min: 1, max: 10, noNaN: true }),
  })
  .map(({ baseMs, extraMs, multiplier }) => ({ baseMs, maxMs: baseMs + extraMs, multiplier }));

/** The exponential ceiling the strategies are documented to use. */
function ceiling(
  options: { baseMs: number; maxMs: number; multiplier: number },
  n: number,
): number {
  if (options.baseMs === 0) return 0;
  return Math.min(options.maxMs, options.baseMs * options.multiplier ** (n - 1));
}

describe('backoff.fullJitter', () => {
  it('stays within [0, min(maxMs, baseMs × multiplier^(attempt − 1))] and returns whole ms', () => {
    fc.assert(
      fc.property(bounds, attempt, previous, random, (options, n, previousMs, value) => {
        const delay = backoff.fullJitter({ ...options, random: () => value })(n, previousMs);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(ceiling(options, n));
      }),
    );
  });

  it('spans the whole range: 0 for the lowest draw, the ceiling for the highest', () => {
    const lowest = backoff.fullJitter({ baseMs: 100, maxMs: 10_000, random: () => 0 });
    const highest = backoff.fullJitter({ baseMs: 100, maxMs: 10_000, random: () => 0.999_999 });
    expect([1, 2, 3, 8].map((n) => lowest(n, 0))).toEqual([0, 0, 0, 0]);
    expect([1, 2, 3, 8].map((n) => highest(n, 0))).toEqual([100, 200, 400, 10_000]);
  });

  it('defaults to base 100 ms, cap 10 s and doubling', () => {
    const top = backoff.fullJitter({ random: () => 0.999_999 });
    expect([1, 2, 7, 8, 50].map((n) => top(n, 0))).toEqual([100, 200, 6_400, 10_000, 10_000]);
  });

  it('keeps within bounds even when the random source misbehaves', () => {
    for (const value of [-1, 1, 2, Number.NaN, Number.POSITIVE_INFINITY]) {
      const delay = backoff.fullJitter({ random: () => value })(3, 0);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });
});

describe('backoff.equalJitter', () => {
  it('stays within [ceiling / 2, ceiling]', () => {
    fc.assert(
      fc.property(bounds, attempt, previous, random, (options, n, previousMs, value) => {
        const delay = backoff.equalJitter({ ...options, random: () => value })(n, previousMs);
        const top = ceiling(options, n);
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(top / 2));
        expect(delay).toBeLessThanOrEqual(top);
      }),
    );
  });
});

describe('backoff.decorrelatedJitter', () => {
  it('stays within [baseMs, min(maxMs, max(baseMs, previousDelayMs) × multiplier)]', () => {
    fc.assert(
      fc.property(bounds, attempt, previous, random, (options, n, previousMs, value) => {
        const next = backoff.decorrelatedJitter({ ...options, random: () => value });
        const delay = next(n, previousMs);
        const high = Math.min(
          options.maxMs,
          Math.max(options.baseMs, previousMs) * options.multiplier,
        );
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(Math.min(options.baseMs, Math.floor(high)));
        expect(delay).toBeLessThanOrEqual(high);
      }),
    );
  });

  it('grows from the previous delay, not from the attempt number', () => {
    const top = backoff.decorrelatedJitter({ baseMs: 100, maxMs: 10_000, random: () => 0.999_999 });
    expect(top(1, 0)).toBe(300);
    expect(top(1, 300)).toBe(900);
    expect(top(9, 300)).toBe(900);
    expect(top(2, 5_000)).toBe(10_000);
  });
});

describe('backoff.exponential', () => {
  it('returns the ceiling itself, rounded', () => {
    fc.assert(
      fc.property(bounds, attempt, previous, (options, n, previousMs) => {
        expect(backoff.exponential(options)(n, previousMs)).toBe(Math.round(ceiling(options, n)));
      }),
    );
  });

  it('multiplies by the configured multiplier', () => {
    const next = backoff.exponential({ baseMs: 10, multiplier: 3 });
    expect([1, 2, 3, 4].map((n) => next(n, 0))).toEqual([10, 30, 90, 270]);
  });

  it('never overflows past the cap, and a zero base stays zero', () => {
    expect(backoff.exponential()(100_000, 0)).toBe(10_000);
    expect(backoff.exponential({ baseMs: 0, maxMs: 500 })(100_000, 0)).toBe(0);
    expect(backoff.fullJitter({ baseMs: 0, maxMs: 500, random: () => 0.99 })(100_000, 0)).toBe(0);
  });
});

describe('backoff.constant', () => {
  it('returns the same delay for every retry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), attempt, previous, (delayMs, n, p) => {
        expect(backoff.constant({ delayMs })(n, p)).toBe(delayMs);
      }),
    );
  });
});

describe('backoff options', () => {
  it.each([
    [
      'fullJitter',
      () => backoff.fullJitter({ baseMs: -1 }),
      '`baseMs` must be a whole number of milliseconds from 0',
    ],
    [
      'equalJitter',
      () => backoff.equalJitter({ maxMs: Number.NaN }),
      '`maxMs` must be a whole number of milliseconds',
    ],
    [
      'exponential',
      () => backoff.exponential({ multiplier: 0.5 }),
      '`multiplier` must be a finite number from 1',
    ],
    [
      'decorrelatedJitter',
      () => backoff.decorrelatedJitter({ baseMs: 1.5 }),
      '`baseMs` must be a whole number of milliseconds',
    ],
    [
      'constant',
      () => backoff.constant({ delayMs: -5 }),
      '`delayMs` must be a whole number of milliseconds from 0',
    ],
    ['constant', () => backoff.constant({} as never), '`delayMs` is required'],
    [
      'fullJitter',
      () => backoff.fullJitter({ random: 0.5 } as never),
      '`random` must be a function',
    ],
    [
      'exponential',
      () => backoff.exponential({ random: Math.random } as never),
      '`random` is not a known option',
    ],
  ])(
    'backoff.%s rejects invalid options with a ConfigurationError naming the field',
    (_, create, text) => {
      expect(create).toThrow(ConfigurationError);
      expect(create).toThrow(text);
    },
  );

  it('rejects a cap below the base', () => {
    expect(() => backoff.fullJitter({ baseMs: 500, maxMs: 100 })).toThrow(
      'backoff.fullJitter: `maxMs` must be at least `baseMs` (500)',
    );
    expect(() => backoff.exponential({ maxMs: 50 })).toThrow(
      '`maxMs` must be at least `baseMs` (100)',
    );
  });
});
