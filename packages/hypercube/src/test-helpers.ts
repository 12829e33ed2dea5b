/** Shared helpers for this package's tests (not part of the build: only tests import it). */
import fc from 'fast-check';
import type { BlockMetrics } from './block-metrics.ts';
import { MAX_COORDINATE, type Point } from './dimensions.ts';

/** Runs `action` and returns what it threw; fails when it does not throw. */
export function thrown(action: () => unknown): Error & Record<string, unknown> {
  try {
    action();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the call to throw');
}

/** Points whose eight coordinates are each drawn from `coordinate`. */
export function pointOf(coordinate: fc.Arbitrary<number>): fc.Arbitrary<Point> {
  return fc.tuple(
    coordinate,
    coordinate,
    coordinate,
    coordinate,
    coordinate,
    coordinate,
    coordinate,
    coordinate,
  );
}

const bits = new BigInt64Array(2);
const doubles = new Float64Array(bits.buffer);

/** How many representable doubles lie between `a` and `b` (same sign assumed): 0 when equal. */
export function ulpDistance(a: number, b: number): number {
  if (a === b) return 0; // also +0 and -0
  doubles[0] = a;
  doubles[1] = b;
  const difference = (bits[0] ?? 0n) - (bits[1] ?? 0n);
  return Number(difference < 0n ? -difference : difference);
}

/** The seed's formula, literally: `min(log10(x + 1) / log10(scale), 1)`. */
export function seedNormalize(x: number, scale: number): number {
  return Math.min(Math.log10(x + 1) / Math.log10(scale), 1);
}

/** Any double in [0, 1], both ends included and often chosen. */
export const unitArbitrary: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 0.5),
  fc.double({ min: 0, max: 1, noNaN: true }),
);

/** Any double from 0 to MAX_COORDINATE, with the interesting edges (caps, the bound) often chosen. */
export const nonNegativeArbitrary: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, 1, 9, 998, 999, 1_000, 604_798, 604_799, 604_800, MAX_COORDINATE),
  fc.double({ min: 0, max: 2_000_000, noNaN: true }),
  fc.double({ min: 0, max: MAX_COORDINATE, noNaN: true }),
  fc.integer({ min: 0, max: 5_000 }),
);

export const categoryArbitrary: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    'physics',
    'Computer Science',
    'EARTH SCIENCE',
    'social_science',
    'general',
    'cooking',
    'constructor',
    '__proto__',
    '',
  ),
  fc.string(),
);

/** Valid block metrics, edges included. */
export const metricsArbitrary: fc.Arbitrary<BlockMetrics> = fc.record({
  problemDifficulty: unitArbitrary,
  solutionQuality: unitArbitrary,
  validationConfidence: unitArbitrary,
  impactFactor: unitArbitrary,
  noveltyScore: unitArbitrary,
  category: categoryArbitrary,
  userComplexity: nonNegativeArbitrary,
  timeTaken: nonNegativeArbitrary,
});

/** Values of every kind, valid or not, for the fields of a metrics record. */
export const anyFieldValue: fc.Arbitrary<unknown> = fc.oneof(
  unitArbitrary,
  nonNegativeArbitrary,
  fc.constantFrom(
    -1,
    -0.000_001,
    1.000_001,
    1.2,
    Number.MAX_VALUE,
    1.0000000000000002e150,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    Number.NEGATIVE_INFINITY,
    '0.5',
    null,
    undefined,
    true,
    [],
    {},
  ),
  fc.string(),
);

/** A metrics-shaped record whose fields may each be valid or not. */
export const maybeMetricsArbitrary: fc.Arbitrary<Record<string, unknown>> = fc.record({
  problemDifficulty: anyFieldValue,
  solutionQuality: anyFieldValue,
  validationConfidence: anyFieldValue,
  impactFactor: anyFieldValue,
  noveltyScore: anyFieldValue,
  category: fc.oneof(categoryArbitrary, anyFieldValue),
  userComplexity: anyFieldValue,
  timeTaken: anyFieldValue,
});

/** A valid record to start from in example-based tests. */
export const sampleMetrics: BlockMetrics = Object.freeze({
  problemDifficulty: 0.8,
  solutionQuality: 0.9,
  validationConfidence: 0.5,
  impactFactor: 0.7,
  noveltyScore: 0.6,
  category: 'Computer Science',
  userComplexity: 1,
  timeTaken: 3_599,
});
