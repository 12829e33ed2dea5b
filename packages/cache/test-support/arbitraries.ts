/**
 * fast-check arbitraries shared by the cache's property tests.
 */
import fc from 'fast-check';

/** Whether `value` has no lone surrogate (`String.prototype.isWellFormed`). */
export const isWellFormed = (value: string): boolean =>
  (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/** One UTF-16 code unit from the surrogate range: alone, it is a lone surrogate. */
const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));

/**
 * Non-empty strings over all of Unicode (astral code points included) where some code units
 * are lone surrogates (`'\ud800'`, `'\udc00'`…): about a third of the strings are ill-formed.
 */
export const fullUnicodeKey: fc.Arbitrary<string> = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 8 },
    { arbitrary: surrogate, weight: 1 },
  ),
  minLength: 1,
  maxLength: 6,
});
