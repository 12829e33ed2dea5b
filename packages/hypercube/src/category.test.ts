import { ConfigurationError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CATEGORY_TABLE,
  encodeCategory,
  normalizeCategoryName,
  UNKNOWN_CATEGORY_VALUE,
} from './index.ts';
import { thrown } from './test-helpers.ts';

describe('encodeCategory', () => {
  it.each([
    ['physics', 0.1],
    ['mathematics', 0.2],
    ['astronomy', 0.3],
    ['biology', 0.4],
    ['chemistry', 0.5],
    ['computer_science', 0.6],
    ['engineering', 0.7],
    ['earth_science', 0.8],
    ['social_science', 0.9],
    ['general', 0.5],
  ])('encodes %s as %s', (name, value) => {
    expect(encodeCategory(name)).toBe(value);
    expect(DEFAULT_CATEGORY_TABLE[name]).toBe(value);
  });

  it('lower-cases the name and turns spaces into underscores first', () => {
    expect(encodeCategory('Computer Science')).toBe(0.6);
    expect(encodeCategory('EARTH SCIENCE')).toBe(0.8);
    expect(encodeCategory('Social_Science')).toBe(0.9);
  });

  it('leaves other characters alone, as the seed does', () => {
    expect(encodeCategory(' physics')).toBe(UNKNOWN_CATEGORY_VALUE);
    expect(encodeCategory('computer-science')).toBe(UNKNOWN_CATEGORY_VALUE);
    expect(encodeCategory('computer\tscience')).toBe(UNKNOWN_CATEGORY_VALUE);
    expect(normalizeCategoryName('  Earth Science ')).toBe('__earth_science_');
  });

  it('encodes an unknown category as 0.5', () => {
    expect(UNKNOWN_CATEGORY_VALUE).toBe(0.5);
    expect(encodeCategory('cooking')).toBe(0.5);
    expect(encodeCategory('')).toBe(0.5);
  });

  it('never finds inherited object keys', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(encodeCategory(name)).toBe(0.5);
    }
  });

  it('rejects an unknown category with { strict: true }, listing the known ones', () => {
    const error = thrown(() => encodeCategory('Cooking', undefined, { strict: true }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      'category must be one of physics, mathematics, astronomy, biology, chemistry, ' +
        'computer_science, engineering, earth_science, social_science, general (got "Cooking")',
    );
    expect(error.issues).toEqual([
      {
        path: 'category',
        message: expect.stringContaining('(got "Cooking")'),
        code: 'invalid_value',
      },
    ]);
    expect(encodeCategory('Physics', undefined, { strict: true })).toBe(0.1);
  });

  it('looks names up in a custom table, normalising its keys too', () => {
    const table = { 'Home Cooking': 0.25, gardening: 1 };
    expect(encodeCategory('home cooking', table)).toBe(0.25);
    expect(encodeCategory('HOME_COOKING', table)).toBe(0.25);
    expect(encodeCategory('Gardening', table)).toBe(1);
    expect(encodeCategory('physics', table)).toBe(0.5);
    expect(thrown(() => encodeCategory('physics', table, { strict: true })).message).toBe(
      'category must be one of home_cooking, gardening (got "physics")',
    );
  });

  it('rejects a table value outside [0, 1] as a configuration error', () => {
    const error = thrown(() => encodeCategory('x', { x: 1.5 }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe('encodeCategory: `table.x` must be a number from 0 to 1 (got 1.5)');
    expect(thrown(() => encodeCategory('x', { x: Number.NaN })).message).toBe(
      'encodeCategory: `table.x` must be a number from 0 to 1 (got NaN)',
    );
  });

  it('rejects a table that is not an object', () => {
    const error = thrown(() => encodeCategory('x', 'physics' as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(
      'encodeCategory: `table` must be an object mapping category names to numbers from 0 to 1 (got "physics")',
    );
  });

  it('rejects two keys that normalise to the same name', () => {
    const error = thrown(() => encodeCategory('x', { 'Earth Science': 0.1, earth_science: 0.2 }));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe(
      'encodeCategory: `table["earth_science"]` must not repeat a category ("Earth Science" is the same after normalising to "earth_science")',
    );
  });

  it('reads a table once: later changes to it are not seen', () => {
    const table: Record<string, number> = { pottery: 0.3 };
    expect(encodeCategory('pottery', table)).toBe(0.3);
    table.pottery = 0.9;
    expect(encodeCategory('pottery', table)).toBe(0.3);
  });

  it('rejects a name that is not a string', () => {
    const error = thrown(() => encodeCategory(42 as never));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe('category must be a string (got 42)');
    expect(thrown(() => normalizeCategoryName(null as never)).message).toBe(
      'category must be a string (got null)',
    );
  });

  it('gives every spelling the value of its normalised name (property)', () => {
    const names = Object.keys(DEFAULT_CATEGORY_TABLE);
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...names), fc.string()), fc.boolean(), (name, upper) => {
        const spelled = (upper ? name.toUpperCase() : name).replaceAll('_', ' ');
        const expected = DEFAULT_CATEGORY_TABLE[normalizeCategoryName(spelled)];
        expect(encodeCategory(spelled)).toBe(
          Object.hasOwn(DEFAULT_CATEGORY_TABLE, normalizeCategoryName(spelled)) ? expected : 0.5,
        );
      }),
    );
  });

  it('keeps answering correctly past its memory of raw spellings', () => {
    for (let index = 0; index < 3_000; index++) {
      expect(encodeCategory(`Unknown ${index}`)).toBe(0.5);
      expect(encodeCategory(index % 2 === 0 ? 'Computer Science' : 'COMPUTER SCIENCE')).toBe(0.6);
    }
    expect(encodeCategory('Earth Science')).toBe(0.8);
  });
});
