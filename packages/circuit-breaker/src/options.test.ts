import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, createCircuitBreakerRegistry } from './index.ts';
import { succeedOrFail } from './test-support.ts';

function configurationErrorOf(create: () => unknown): ConfigurationError {
  try {
    create();
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('expected a ConfigurationError');
}

const create = (options: unknown) => () =>
  createCircuitBreaker(succeedOrFail, options as { name: string });

describe('createCircuitBreaker options', () => {
  it('requires a name', () => {
    expect(configurationErrorOf(create({})).message).toBe(
      'createCircuitBreaker: `name` is required',
    );
    expect(configurationErrorOf(create({ name: '  ' })).message).toContain(
      '`name` must be a non-empty string',
    );
  });

  it('names every bad field at once, with what it got', () => {
    const error = configurationErrorOf(
      create({
        name: 'x',
        timeoutMs: -5,
        errorThresholdPercentage: 0,
        capacity: 1.5,
        slowCallMs: true,
        halfOpenProbes: 0,
        resetBackoffFactor: 0.5,
      }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual([
      'timeoutMs',
      'errorThresholdPercentage',
      'resetBackoffFactor',
      'halfOpenProbes',
      'slowCallMs',
      'capacity',
    ]);
    expect(error.message).toContain(
      '`timeoutMs` must be a whole number of milliseconds from 1 to 2147483647, or false (got -5)',
    );
    expect(error.message).toContain(
      '`errorThresholdPercentage` must be a percentage from 1 to 100 (got 0)',
    );
  });

  it('names the required option when called without options', () => {
    expect(
      configurationErrorOf(() => createCircuitBreaker(succeedOrFail, undefined as never)).message,
    ).toBe('createCircuitBreaker: `name` is required');
  });

  it('refuses a ratio given where a percentage belongs (property)', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, minExcluded: true, maxExcluded: true }), (ratio) => {
        const error = configurationErrorOf(create({ name: 'x', errorThresholdPercentage: ratio }));
        expect(error.issues[0]?.path).toBe('errorThresholdPercentage');
        expect(error.message).toContain('not a ratio');
      }),
    );
  });

  it('refuses every duration that Node would clamp to 1 ms (property)', () => {
    const key = fc.constantFrom('timeoutMs', 'rollingWindowMs', 'resetTimeoutMs', 'slowCallMs');
    fc.assert(
      fc.property(key, fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER }), (name, ms) => {
        const error = configurationErrorOf(create({ name: 'x', [name]: ms }));
        expect(error.issues.map((issue) => issue.path)).toContain(name);
      }),
    );
  });

  it('catches typos in option names', () => {
    expect(configurationErrorOf(create({ name: 'x', timeout: 1_000 })).message).toBe(
      'createCircuitBreaker: `timeout` is not a known option',
    );
  });

  it('checks fields that depend on each other', () => {
    expect(
      configurationErrorOf(create({ name: 'x', rollingWindowMs: 10_000, rollingWindowBuckets: 3 }))
        .message,
    ).toContain('`rollingWindowBuckets` must divide `rollingWindowMs` (10000) evenly (got 3)');
    expect(
      configurationErrorOf(create({ name: 'x', resetTimeoutMs: 60_000, maxResetTimeoutMs: 1_000 }))
        .message,
    ).toContain('`maxResetTimeoutMs` must be at least `resetTimeoutMs` (60000) (got 1000)');
  });

  it('requires functions where functions go', () => {
    expect(
      configurationErrorOf(() => createCircuitBreaker('nope' as never, { name: 'x' })).message,
    ).toBe('createCircuitBreaker: `fn` must be a function (got "nope")');
    expect(configurationErrorOf(create({ name: 'x', isFailure: 1, clock: {} })).issues).toEqual([
      expect.objectContaining({ path: 'isFailure', message: 'must be a function (got 1)' }),
      expect.objectContaining({
        path: 'clock',
        message: 'must be an object with a now() method (got an object)',
      }),
    ]);
  });

  it('rejects options that are not an object', () => {
    expect(configurationErrorOf(create(undefined)).message).toContain('createCircuitBreaker:');
  });
});

describe('createCircuitBreakerRegistry options', () => {
  it('names bad defaults under `defaults`', () => {
    const error = configurationErrorOf(() =>
      createCircuitBreakerRegistry({ defaults: { timeoutMs: 0 }, maxBreakers: -1 }),
    );
    expect(error.issues.map((issue) => issue.path)).toEqual(['defaults.timeoutMs', 'maxBreakers']);
  });

  it('checks dependent defaults', () => {
    expect(
      configurationErrorOf(() =>
        createCircuitBreakerRegistry({ defaults: { rollingWindowBuckets: 7 } }),
      ).message,
    ).toContain('`defaults.rollingWindowBuckets` must divide');
  });
});
