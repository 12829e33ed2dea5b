import { invalidArgument } from '@rampart/errors';
import type { Point } from './dimensions.ts';

const MAX_UINT32 = 0xffff_ffff;
const HEX_DIGITS = 64;
const DIGEST_BYTES = 32;

/**
 * Derives a point of the unit hypercube from a SHA-256 hash: coordinate `i` is the `i`-th
 * 8-hex-digit slice read as an unsigned 32-bit integer, divided by `0xFFFFFFFF`. Every
 * coordinate is in [0, 1]. Upper- and lower-case hex are accepted; so is the 32-byte digest
 * itself (`createHash('sha256').update(data).digest()`), read big-endian, which gives the same
 * point as its hex form.
 *
 * @param sha256 - 64 hex digits, or a 32-byte `Uint8Array` (a `Buffer` works).
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `sha256` is not 64 hex digits or 32 bytes.
 *
 * @example
 * ```ts
 * import { createHash } from 'node:crypto';
 * import { hashToPoint } from '@rampart/hypercube';
 *
 * const hash = createHash('sha256').update('block 42').digest('hex');
 * const point = hashToPoint(hash); // eight numbers in [0, 1]
 * ```
 */
export function hashToPoint(sha256: string | Uint8Array): Point {
  const point: Point = [0, 0, 0, 0, 0, 0, 0, 0];
  if (typeof sha256 === 'string') {
    if (sha256.length !== HEX_DIGITS) throw invalidHash(sha256);
    for (let coordinate = 0; coordinate < 8; coordinate++) {
      const word = readHexWord(sha256, coordinate * 8);
      if (word < 0) throw invalidHash(sha256);
      point[coordinate] = word / MAX_UINT32;
    }
    return point;
  }
  if (!(sha256 instanceof Uint8Array) || sha256.length !== DIGEST_BYTES) throw invalidHash(sha256);
  for (let coordinate = 0; coordinate < 8; coordinate++) {
    point[coordinate] = readWord(sha256, coordinate * 4) / MAX_UINT32;
  }
  return point;
}

/**
 * Derives the points of many SHA-256 digests at once, allocating nothing per point: `digests`
 * holds 32 bytes per hash back to back (as many digests as `digests.length / 32`), and point `i`
 * goes to `out[i * 8]` to `out[i * 8 + 7]`, exactly as {@link hashToPoint} computes it.
 *
 * @param digests - raw SHA-256 digests, 32 bytes each.
 * @param out - receives the points; needs `digests.length / 32 × 8` numbers.
 * @returns `out`.
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `digests` is not a `Uint8Array` of a multiple of 32 bytes, or
 *   `out` is too small.
 *
 * @example
 * ```ts
 * import { hashesToPointsInto } from '@rampart/hypercube';
 *
 * const digests = new Uint8Array(32 * count); // filled by your hashing pipeline
 * const points = hashesToPointsInto(digests, new Float64Array(8 * count));
 * ```
 */
export function hashesToPointsInto(digests: Uint8Array, out: Float64Array): Float64Array {
  if (!(digests instanceof Uint8Array) || digests.length % DIGEST_BYTES !== 0) {
    throw invalidArgument(
      'hashesToPointsInto',
      'digests',
      'must be a Uint8Array of whole 32-byte SHA-256 digests (a length divisible by 32)',
      digests instanceof Uint8Array ? digests.length : digests,
    );
  }
  const count = digests.length / DIGEST_BYTES;
  if (!(out instanceof Float64Array) || out.length < count * 8) {
    throw invalidArgument(
      'hashesToPointsInto',
      'out',
      `must be a Float64Array of at least ${count * 8} numbers (8 per digest)`,
      out instanceof Float64Array ? out.length : out,
    );
  }
  for (let word = 0, length = count * 8; word < length; word++) {
    out[word] = readWord(digests, word * 4) / MAX_UINT32;
  }
  return out;
}

/** Big-endian unsigned 32-bit word at `offset`. */
function readWord(bytes: Uint8Array, offset: number): number {
  return (
    (bytes[offset] as number) * 0x100_0000 +
    (((bytes[offset + 1] as number) << 16) |
      ((bytes[offset + 2] as number) << 8) |
      (bytes[offset + 3] as number))
  );
}

/** The 8 hex digits at `offset` as an unsigned integer, or -1 when one is not a hex digit. */
function readHexWord(text: string, offset: number): number {
  let word = 0;
  for (let index = offset; index < offset + 8; index++) {
    const digit = hexValue(text.charCodeAt(index));
    if (digit < 0) return -1;
    word = word * 16 + digit;
  }
  return word;
}

function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48; // 0-9
  const lower = code | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87; // a-f, A-F
  return -1;
}

function invalidHash(received: unknown): Error {
  if (received instanceof Uint8Array) {
    return invalidArgument(
      'hashToPoint',
      'sha256.length',
      'must be 32 (the bytes of a SHA-256 digest)',
      received.length,
      { captureStack: true },
    );
  }
  return invalidArgument(
    'hashToPoint',
    'sha256',
    'must be a SHA-256 hash: 64 hexadecimal digits or 32 bytes',
    received,
    { captureStack: true },
  );
}
