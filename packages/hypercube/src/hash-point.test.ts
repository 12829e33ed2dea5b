import { createHash } from 'node:crypto';
import { ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashesToPointsInto, hashToPoint, isUnitPoint } from './index.ts';
import { thrown } from './test-helpers.ts';

const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The definition, literally: slice i of 8 hex digits, parsed, over 0xFFFFFFFF. */
function bySlicing(hex: string): number[] {
  return Array.from(
    { length: 8 },
    (_, index) => Number.parseInt(hex.slice(index * 8, index * 8 + 8), 16) / 0xffff_ffff,
  );
}

const digestArbitrary = fc.uint8Array({ minLength: 32, maxLength: 32 });
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

describe('hashToPoint', () => {
  it('reads the i-th 8-digit slice as an unsigned integer over 0xFFFFFFFF', () => {
    const point = hashToPoint(EMPTY_SHA256);
    expect(point[0]).toBe(0xe3b0c442 / 0xffff_ffff);
    expect(point[7]).toBe(0x7852b855 / 0xffff_ffff);
    expect(point).toEqual(bySlicing(EMPTY_SHA256));
  });

  it('maps all zeros to the origin and all f to the far corner', () => {
    expect(hashToPoint('0'.repeat(64))).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(hashToPoint('f'.repeat(64))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(hashToPoint(`${'0'.repeat(7)}1${'0'.repeat(56)}`)[0]).toBe(1 / 0xffff_ffff);
  });

  it('agrees with slicing on any hash, in either case, and lands in the unit hypercube', () => {
    fc.assert(
      fc.property(digestArbitrary, (bytes) => {
        const lower = hex(bytes);
        const point = hashToPoint(lower);
        expect(point).toEqual(bySlicing(lower));
        expect(hashToPoint(lower.toUpperCase())).toEqual(point);
        expect(isUnitPoint(point)).toBe(true);
      }),
    );
  });

  it('reads a raw 32-byte digest like its hex form', () => {
    const digest = createHash('sha256').update('block 42').digest();
    expect(hashToPoint(digest)).toEqual(hashToPoint(digest.toString('hex')));
    fc.assert(
      fc.property(digestArbitrary, (bytes) => {
        expect(hashToPoint(bytes)).toEqual(hashToPoint(hex(bytes)));
      }),
    );
  });

  it.each([
    ['abc', '"abc"'],
    [`${EMPTY_SHA256}0`, `"${EMPTY_SHA256.slice(0, 60)}…"`],
    [EMPTY_SHA256.slice(1), `"${EMPTY_SHA256.slice(1, 61)}…"`],
    [`g${EMPTY_SHA256.slice(1)}`, `"g${EMPTY_SHA256.slice(1, 60)}…"`],
    [`${EMPTY_SHA256.slice(0, 63)} `, `"${EMPTY_SHA256.slice(0, 60)}…"`],
    [42, '42'],
    [null, 'null'],
  ])('rejects %j, which is not 64 hex digits', (input, shown) => {
    const error = thrown(() => hashToPoint(input as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      `hashToPoint: \`sha256\` must be a SHA-256 hash: 64 hexadecimal digits or 32 bytes (got ${shown})`,
    );
  });

  it('rejects a digest of the wrong length', () => {
    expect(thrown(() => hashToPoint(new Uint8Array(31))).message).toBe(
      'hashToPoint: `sha256.length` must be 32 (the bytes of a SHA-256 digest) (got 31)',
    );
  });
});

describe('hashesToPointsInto', () => {
  it('computes the point of every digest, as hashToPoint does', () => {
    fc.assert(
      fc.property(fc.array(digestArbitrary, { maxLength: 20 }), (digests) => {
        const packed = new Uint8Array(digests.length * 32);
        digests.forEach((digest, index) => {
          packed.set(digest, index * 32);
        });
        const out = new Float64Array(digests.length * 8);
        expect(hashesToPointsInto(packed, out)).toBe(out);
        expect([...out]).toEqual(digests.flatMap((digest) => hashToPoint(digest)));
      }),
    );
  });

  it('rejects partial digests and a small out', () => {
    expect(thrown(() => hashesToPointsInto(new Uint8Array(33), new Float64Array(8))).message).toBe(
      'hashesToPointsInto: `digests` must be a Uint8Array of whole 32-byte SHA-256 digests (a length divisible by 32) (got 33)',
    );
    expect(thrown(() => hashesToPointsInto(new Uint8Array(64), new Float64Array(8))).message).toBe(
      'hashesToPointsInto: `out` must be a Float64Array of at least 16 numbers (8 per digest) (got 8)',
    );
  });
});
