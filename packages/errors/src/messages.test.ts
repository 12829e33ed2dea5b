import { describe, expect, it } from 'vitest';
import { describeValue, invalidArgument, ValidationError } from './index.ts';

describe('describeValue', () => {
  it.each([
    ['abc', '"abc"'],
    ['', '""'],
    ['x'.repeat(100), `"${'x'.repeat(60)}…"`],
    [-5, '-5'],
    [Number.NaN, 'NaN'],
    [Number.NEGATIVE_INFINITY, '-Infinity'],
    [10n, '10n'],
    [true, 'true'],
    [undefined, 'undefined'],
    [null, 'null'],
    [Symbol('s'), 'a symbol'],
    [() => 1, 'a function'],
    [[1], 'an array of 1 item'],
    [[1, 2], 'an array of 2 items'],
    [{}, 'an object'],
    [Object.create(null), 'an object'],
    [new Map(), 'a Map'],
    [new Error('x'), 'an Error'],
    [new Uint8Array(2), 'a Uint8Array'],
  ])('describes %o as %s', (value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });
});

describe('invalidArgument', () => {
  it('builds a cheap ValidationError worded like parseOptions', () => {
    const error = invalidArgument('consume', 'cost', 'must be a positive integer', 0);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('consume: `cost` must be a positive integer (got 0)');
    expect(error.issues).toEqual([
      { path: 'cost', message: 'must be a positive integer (got 0)', code: 'invalid_argument' },
    ]);
    expect(error.stack).toBe(`ValidationError: ${error.message}`);
    expect(
      invalidArgument('a', 'b', 'must c', 1, { captureStack: true }).stack?.split('\n').length,
    ).toBeGreaterThan(1);
  });
});
