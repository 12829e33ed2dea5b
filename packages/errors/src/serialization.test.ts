import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ConflictError,
  deserializeError,
  InternalError,
  isRampartError,
  type JsonObject,
  NotFoundError,
  RampartError,
  RateLimitedError,
  serializeError,
  TimeoutError,
  ValidationError,
} from './index.ts';

const overTheWire = (error: unknown, stack = false): Error =>
  deserializeError(JSON.parse(JSON.stringify(serializeError(error, { stack }))));

describe('serializeError / deserializeError', () => {
  it('revives the class, fields and extras of a Rampart error', () => {
    const original = new RateLimitedError('slow down', {
      retryAfterMs: 1_500,
      policies: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
      details: { key: 'ip:1.2.3.4' },
      context: { store: 'redis' },
    });
    const revived = overTheWire(original);
    expect(revived).toBeInstanceOf(RateLimitedError);
    expect(revived).toMatchObject({
      name: 'RateLimitedError',
      message: 'slow down',
      code: 'E_RATE_LIMITED',
      status: 429,
      retryable: true,
      expose: true,
      details: { key: 'ip:1.2.3.4' },
      context: { store: 'redis' },
      retryAfterMs: 1_500,
      policies: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
    });
  });

  it('keeps the stack only when asked', () => {
    const original = new NotFoundError('gone');
    expect(serializeError(original).stack).toBeUndefined();
    expect(overTheWire(original, true).stack).toBe(original.stack);
    expect(overTheWire(original).stack).toBe('NotFoundError: gone');
  });

  it('keeps whole cause chains, mixing Rampart and foreign errors', () => {
    const socket = Object.assign(new Error('read ECONNRESET'), {
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'read',
    });
    const timeout = new TimeoutError('upstream slow', { cause: socket });
    const revived = overTheWire(new InternalError('request failed', { cause: timeout }));
    expect(revived).toBeInstanceOf(InternalError);
    const cause = revived.cause as TimeoutError;
    expect(cause).toBeInstanceOf(TimeoutError);
    expect(cause.cause).toBeInstanceOf(Error);
    expect(cause.cause).toMatchObject({
      message: 'read ECONNRESET',
      code: 'ECONNRESET',
      errno: -104,
      syscall: 'read',
    });
    expect(isRampartError(cause.cause)).toBe(false);
  });

  it('keeps a non-error cause as JSON', () => {
    const revived = overTheWire(new ConflictError('stale', { cause: { version: 3 } }));
    expect(revived.cause).toEqual({ version: 3 });
  });

  it('revives aggregate errors with their members', () => {
    const aggregate = new AggregateError([new NotFoundError('a'), new Error('b')], 'two failures');
    const revived = overTheWire(aggregate);
    expect(revived).toBeInstanceOf(AggregateError);
    const { errors } = revived as AggregateError;
    expect(errors[0]).toBeInstanceOf(NotFoundError);
    expect(errors[1]).toMatchObject({ message: 'b' });
  });

  it('keeps the name of foreign error classes', () => {
    const revived = overTheWire(new TypeError('x is not a function'));
    expect(revived.name).toBe('TypeError');
    expect(revived.stack).toBe('TypeError: x is not a function');
  });

  it('keeps an unknown code and its status on a plain RampartError', () => {
    const revived = deserializeError({
      rampart: true,
      name: 'PaymentDeclinedError',
      message: 'card expired',
      code: 'E_FROM_ANOTHER_SERVICE',
      status: 402,
      retryable: false,
      expose: true,
    });
    expect(revived).toBeInstanceOf(RampartError);
    expect(revived).toMatchObject({
      code: 'E_FROM_ANOTHER_SERVICE',
      status: 402,
      name: 'PaymentDeclinedError',
    });
  });

  it('accepts JSON text and survives junk', () => {
    expect(deserializeError(JSON.stringify(serializeError(new NotFoundError('x'))))).toBeInstanceOf(
      NotFoundError,
    );
    expect(deserializeError('not json').message).toBe('not json');
    expect(deserializeError(42)).toBeInstanceOf(Error);
    expect(deserializeError(null)).toBeInstanceOf(Error);
  });

  it('bounds cycles and depth when serializing', () => {
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b });
    const serialized = serializeError(a);
    expect(JSON.stringify(serialized)).toContain('[Circular]');

    let deep: Error = new Error('root');
    for (let index = 0; index < 100; index++) deep = new Error(`level ${index}`, { cause: deep });
    expect(JSON.stringify(serializeError(deep))).toContain('[Truncated]');

    const details: Record<string, unknown> = {};
    details.self = details;
    expect(
      serializeError(new NotFoundError('x', { details: details as JsonObject })).details,
    ).toEqual({
      self: '[Circular]',
    });
  });

  it('serializes thrown non-errors', () => {
    expect(serializeError('plain string')).toEqual({ name: 'Error', message: 'plain string' });
    expect(serializeError({ reason: 1 })).toEqual({
      name: 'Error',
      message: 'an object',
      value: { reason: 1 },
    });
  });

  it('never writes __proto__, constructor or methods from hostile input', () => {
    const hostile = JSON.parse(
      '{"rampart":true,"code":"E_NOT_FOUND","name":"NotFoundError","message":"x",' +
        '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},' +
        '"toJSON":"nope","details":{"__proto__":{"polluted":true}}}',
    );
    const revived = deserializeError(hostile);
    expect(revived).toBeInstanceOf(NotFoundError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((revived as unknown as Record<string, unknown>).polluted).toBeUndefined();
    expect(typeof (revived as NotFoundError).toJSON).toBe('function');
    expect(Object.getPrototypeOf((revived as NotFoundError).details)).toBe(Object.prototype);
  });

  const jsonDetails = fc.dictionary(
    fc.string().filter((key) => key !== '__proto__'),
    fc.jsonValue(),
    { maxKeys: 5 },
  ) as fc.Arbitrary<JsonObject>;
  const errorClass = fc.constantFrom(
    NotFoundError,
    ConflictError,
    TimeoutError,
    ValidationError,
    InternalError,
  );

  it('round-trips arbitrary JSON details and cause chains (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(errorClass, fc.string(), jsonDetails), { minLength: 1, maxLength: 6 }),
        (chain) => {
          let error: Error | undefined;
          for (const [ErrorClass, message, details] of chain) {
            error = new ErrorClass(message, { details, cause: error });
          }
          const revived = overTheWire(error);
          let expected: unknown = error;
          let actual: unknown = revived;
          for (let index = chain.length - 1; index >= 0; index--) {
            const [ErrorClass, message, details] = chain[index] ?? [];
            expect(actual).toBeInstanceOf(ErrorClass);
            expect((actual as RampartError).message).toBe(message);
            // JSON keeps everything but `__proto__` keys, which are dropped on purpose.
            const expectedDetails: unknown = JSON.parse(JSON.stringify(details), (key, value) =>
              key === '__proto__' ? undefined : value,
            );
            expect((actual as RampartError).details).toEqual(expectedDetails);
            expected = (expected as Error).cause;
            actual = (actual as Error).cause;
          }
          expect(actual).toBeUndefined();
        },
      ),
    );
  });

  it('never throws and never pollutes prototypes on arbitrary JSON (property)', () => {
    const hostileKeys = fc.constantFrom(
      '__proto__',
      'constructor',
      'prototype',
      'toString',
      'rampart',
      'code',
      'cause',
      'errors',
      'name',
      'stack',
      'details',
    );
    const anyObject = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue(),
        fc.dictionary(fc.oneof(hostileKeys, fc.string()), tie('value'), { maxKeys: 6 }),
      ),
    })).value;
    fc.assert(
      fc.property(anyObject, (input) => {
        const text = JSON.stringify(input);
        const revived = deserializeError(JSON.parse(text));
        expect(revived).toBeInstanceOf(Error);
        expect(() => serializeError(revived)).not.toThrow();
        expect(Object.prototype).not.toHaveProperty('polluted');
        for (const key of Object.keys(Object.prototype))
          expect.unreachable(`Object.prototype gained ${key}`);
      }),
      { numRuns: 500 },
    );
  });
});
