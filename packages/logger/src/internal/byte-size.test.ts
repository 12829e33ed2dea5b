import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseByteSize } from './byte-size.ts';

describe('parseByteSize', () => {
  it.each([
    ['10m', 10 * 1024 * 1024],
    ['10M', 10 * 1024 * 1024],
    ['10MB', 10 * 1024 * 1024],
    ['10 mb', 10 * 1024 * 1024],
    ['10MiB', 10 * 1024 * 1024],
    ['512k', 512 * 1024],
    ['1.5g', 1.5 * 1024 ** 3],
    ['2048', 2048],
    ['2048b', 2048],
    [4096, 4096],
  ] as const)('reads %j as %d bytes', (size, bytes) => {
    expect(parseByteSize(size)).toBe(bytes);
  });

  it.each(['', 'ten', '10 parsecs', '-1k', '0', '0.1', 0, -5, 1.5, Number.NaN])(
    'rejects %j',
    (size) => {
      expect(parseByteSize(size)).toBeUndefined();
    },
  );

  it('reads every whole number of any unit back exactly', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.constantFrom('', 'k', 'm'),
        (amount, unit) => {
          const factor = unit === '' ? 1 : unit === 'k' ? 1024 : 1024 ** 2;
          expect(parseByteSize(`${amount}${unit}`)).toBe(amount * factor);
        },
      ),
    );
  });
});
