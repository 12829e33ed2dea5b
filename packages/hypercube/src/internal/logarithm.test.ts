import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ulpDistance } from '../test-helpers.ts';
import { logarithm } from './logarithm.ts';

/** ln(y) to about 60 digits with BigInt fixed-point arithmetic: the reference. */
const PRECISION = 200n;
const ONE = 1n << PRECISION;

function toFixed(value: number): bigint {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const raw = view.getBigUint64(0);
  const exponent = Number((raw >> 52n) & 0x7ffn) - 1075;
  const mantissa = (raw & ((1n << 52n) - 1n)) | (1n << 52n);
  const shift = BigInt(exponent) + PRECISION;
  return shift >= 0n ? mantissa << shift : mantissa >> -shift;
}

function atanh(s: bigint): bigint {
  const square = (s * s) >> PRECISION;
  let term = s;
  let sum = 0n;
  for (let n = 1n; term !== 0n; n += 2n) {
    sum += term / n;
    term = (term * square) >> PRECISION;
  }
  return sum;
}

const LN2 = 2n * atanh(ONE / 3n);

function exactLn(y: number): bigint {
  let exponent = 0n;
  let z = y;
  while (z >= 2) {
    z /= 2;
    exponent++;
  }
  const fixed = toFixed(z);
  return exponent * LN2 + 2n * atanh(((fixed - ONE) << PRECISION) / (fixed + ONE));
}

/** Error of `approximation` against the exact value, in units in the last place. */
function ulpError(approximation: number, exact: bigint): number {
  const exponent = Math.floor(Math.log2(Math.abs(approximation))) - 52;
  return Math.abs(Number(toFixed(approximation) - exact)) / 2 ** (Number(PRECISION) + exponent);
}

const inRange = fc.oneof(
  fc.double({ min: 1, max: 2, noNaN: true }),
  fc.double({ min: 1, max: 604_800, noNaN: true }),
  fc.double({ min: 1, max: 2 ** 31 - 1, noNaN: true }),
  fc.integer({ min: 1, max: 1_000_000 }),
);

describe('logarithm', () => {
  it('is exact where the answer is representable', () => {
    expect(logarithm(1)).toBe(0);
    expect(logarithm(2)).toBe(Math.LN2);
    expect(Object.is(logarithm(1), 0)).toBe(true);
  });

  it('is within 1.5 ulps of the exact natural logarithm', () => {
    fc.assert(
      fc.property(inRange, (y) => {
        const value = logarithm(y);
        if (value === 0) return;
        expect(ulpError(value, exactLn(y))).toBeLessThan(1.5);
      }),
      { numRuns: 3_000 },
    );
  });

  it('agrees with Math.log to 2 ulps', () => {
    fc.assert(
      fc.property(inRange, (y) => {
        expect(ulpDistance(logarithm(y), Math.log(y))).toBeLessThanOrEqual(2);
      }),
      { numRuns: 20_000 },
    );
  });
});

describe('logarithm across its table boundaries', () => {
  it('never decreases between neighbouring doubles', () => {
    const bits = new BigInt64Array(1);
    const value = new Float64Array(bits.buffer);
    const neighbour = (x: number, steps: number): number => {
      value[0] = x;
      bits[0] = (bits[0] ?? 0n) + BigInt(steps);
      return value[0] ?? Number.NaN;
    };
    let decreases = 0;
    for (let exponent = 0; exponent <= 20; exponent++) {
      for (let entry = 0; entry <= 256; entry++) {
        const boundary = (1 + entry / 256) * 2 ** exponent;
        let previous = Number.NEGATIVE_INFINITY;
        for (let steps = -16; steps <= 16; steps++) {
          const y = neighbour(boundary, steps);
          if (y < 1) continue;
          const current = logarithm(y);
          if (current < previous) decreases++;
          previous = current;
        }
      }
    }
    expect(decreases).toBe(0);
  });
});
