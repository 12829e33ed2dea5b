import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  deserializeError,
  ForbiddenError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  serializeError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from './index.ts';

const builtIns = [
  () => new ValidationError('bad', { issues: [{ path: 'a', message: 'must be x', code: 'c' }] }),
  () => new ValidationError('bad'),
  () => new ConfigurationError('bad config'),
  () =>
    new RateLimitedError('slow', {
      retryAfterMs: 10,
      policies: [{ name: 'm', limit: 1, windowMs: 5 }],
    }),
  () => new RateLimitedError(),
  () => new CircuitOpenError('open', { retryAfterMs: 3 }),
  () => new CircuitOpenError(),
  () => new UnavailableError(),
  () => new TimeoutError(),
  () => new NotFoundError(),
  () => new ConflictError(),
  () => new ForbiddenError(),
  () => new UnauthorizedError(),
  () => new InternalError(),
] as const;

/** Own enumerable data of an error, as users read it. */
const publicFields = (error: Error): Record<string, unknown> => ({ ...error, name: error.name });

describe('deserializeError: faithful revival', () => {
  it('revives every built-in as the same class with the same public fields (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...builtIns), fc.boolean(), (make, viaJson) => {
        const original = make();
        const wire = serializeError(original);
        const revived = deserializeError(viaJson ? JSON.stringify(wire) : wire);
        expect(Object.getPrototypeOf(revived)).toBe(Object.getPrototypeOf(original));
        expect(publicFields(revived)).toEqual(publicFields(original));
      }),
    );
  });

  it('gives class fields their defaults when the input lacks them', () => {
    const validation = deserializeError({
      rampart: true,
      code: 'E_VALIDATION',
      name: 'x',
      message: '',
    });
    expect(validation).toBeInstanceOf(ValidationError);
    expect((validation as ValidationError).issues).toEqual([]);
    const limited = deserializeError({
      rampart: true,
      code: 'E_RATE_LIMITED',
      message: '',
      policies: 'no',
    });
    expect((limited as RateLimitedError).policies).toEqual([]);
    expect((limited as RateLimitedError).retryAfterMs).toBeUndefined();
  });

  it('names a revived error after its class before that class was ever constructed', async () => {
    vi.resetModules();
    const fresh = await import('./index.ts');
    const revived = fresh.deserializeError({ rampart: true, code: 'E_TIMEOUT', message: 'slow' });
    expect(revived.name).toBe('TimeoutError');
    const Defined = fresh.defineError({ code: 'E_FRESHLY_DEFINED', status: 409, title: 'Fresh' });
    expect(
      fresh.deserializeError({ rampart: true, code: 'E_FRESHLY_DEFINED', message: '' }).name,
    ).toBe('FreshlyDefinedError');
    expect(Defined.name).toBe('FreshlyDefinedError');
  });
});

describe('deserializeError: bounded on hostile input', () => {
  it('bounds the code and the number of extra members', () => {
    const extras = Object.fromEntries(
      Array.from({ length: 100_000 }, (_, index) => [`k${index}`, index]),
    );
    for (const rampart of [true, false]) {
      const revived = deserializeError({
        ...extras,
        rampart,
        code: 'E_'.padEnd(10_000_000, 'X'),
        message: 'm',
      });
      expect(String((revived as { code?: unknown }).code).length).toBeLessThanOrEqual(201);
      expect(Object.keys(revived).filter((key) => key.startsWith('k')).length).toBeLessThanOrEqual(
        50,
      );
    }
  });

  it('revives a shared-node error DAG with work proportional to its distinct nodes (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 12 }),
        fc.integer({ min: 2, max: 12 }),
        (levels, fanOut) => {
          let reads = 0;
          let node: Record<string, unknown> = {};
          Object.defineProperty(node, 'message', { enumerable: true, get: () => `leaf${reads++}` });
          for (let level = 0; level < levels; level++) {
            const shared = node;
            node = { name: 'AggregateError', errors: Array.from({ length: fanOut }, () => shared) };
            Object.defineProperty(node, 'message', { enumerable: true, get: () => `n${reads++}` });
          }
          const revived = deserializeError(node);
          expect(revived).toBeInstanceOf(AggregateError);
          // Each distinct node is read a bounded number of times, never once per path.
          expect(reads).toBeLessThanOrEqual((levels + 1) * 4);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('serializes a shared-node error DAG with bounded work', () => {
    let reads = 0;
    let node: Error = new Error('leaf');
    for (let level = 0; level < 8; level++) {
      const shared = node;
      node = new AggregateError(
        Array.from({ length: 10 }, () => shared),
        'level',
      );
      Object.defineProperty(node, 'extra', { enumerable: true, get: () => reads++ });
    }
    const wire = serializeError(node);
    expect(wire.errors).toHaveLength(10);
    expect(reads).toBeLessThanOrEqual(1_000);
    expect(JSON.stringify(wire).length).toBeLessThan(5_000_000);
  });
});

describe('JSON members: bounded output', () => {
  it('writes a bounded amount of text however often a long string is shared', () => {
    const long = 'x'.repeat(10_000);
    const level = Object.fromEntries(
      Array.from({ length: 200 }, (_, index) => [`k${index}`, long]),
    );
    let node: Record<string, unknown> = level;
    for (let depth = 0; depth < 8; depth++) {
      const shared = node;
      node = Object.fromEntries(Array.from({ length: 200 }, (_, index) => [`k${index}`, shared]));
    }
    const revived = deserializeError({ name: 'Error', message: 'm', payload: node });
    expect(JSON.stringify(revived).length).toBeLessThan(3_000_000);
    const wire = serializeError(Object.assign(new Error('m'), { payload: node }));
    expect(JSON.stringify(wire).length).toBeLessThan(3_000_000);
  });
});
