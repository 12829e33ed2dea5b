import { describe, expect, it } from 'vitest';
import {
  InternalError,
  NotFoundError,
  UnavailableError,
  ValidationError,
  wrapErrors,
} from './index.ts';

describe('wrapErrors', () => {
  it('keeps a sync function sync and maps its foreign errors to the class', () => {
    const parse = wrapErrors((text: string) => JSON.parse(text) as unknown, ValidationError);
    expect(parse('{"a":1}')).toEqual({ a: 1 });
    let thrown: unknown;
    try {
      parse('{');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).message).toBe('Validation Failed');
    expect((thrown as ValidationError).cause).toBeInstanceOf(SyntaxError);
  });

  it('maps the rejections of an async function', async () => {
    const cause = new Error('ECONNREFUSED');
    const query = wrapErrors(async (_sql: string) => Promise.reject(cause), UnavailableError);
    const rejection = query('SELECT 1');
    await expect(rejection).rejects.toBeInstanceOf(UnavailableError);
    await expect(rejection).rejects.toMatchObject({ cause });
  });

  it('passes Rampart errors through unchanged', async () => {
    const notFound = new NotFoundError();
    const syncFn = wrapErrors(() => {
      throw notFound;
    }, InternalError);
    expect(syncFn).toThrow(notFound);
    const asyncFn = wrapErrors(async () => Promise.reject(notFound), InternalError);
    await expect(asyncFn()).rejects.toBe(notFound);
  });

  it('uses a mapper function and normalizes what it returns', () => {
    const fn = wrapErrors(
      () => {
        throw new RangeError('out of range');
      },
      (error) => new ValidationError('bad range', { cause: error }),
    );
    expect(fn).toThrow('bad range');
    const broken = wrapErrors(
      () => {
        throw new Error('original');
      },
      () => {
        throw new Error('mapper bug');
      },
    );
    expect(broken).toThrow(InternalError);
  });

  it('passes this and arguments through', () => {
    const counter = {
      base: 10,
      add: wrapErrors(function (this: { base: number }, value: number) {
        return this.base + value;
      }, InternalError),
    };
    expect(counter.add(5)).toBe(15);
  });
});
