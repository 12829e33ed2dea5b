import { describe, expect, it } from 'vitest';
import {
  ConfigurationError,
  DEFAULT_PROBLEM_TYPE_BASE_URI,
  defineError,
  deserializeError,
  errorRegistry,
  isRampartError,
  RampartError,
  serializeError,
  toProblem,
} from './index.ts';

describe('defineError', () => {
  it('makes a typed class that joins the registry', () => {
    const PaymentDeclinedError = defineError({
      code: 'E_PAYMENT_DECLINED',
      status: 402,
      title: 'Payment Declined',
    });
    const error = new PaymentDeclinedError('Card expired', { details: { reason: 'expired' } });
    expect(error).toBeInstanceOf(RampartError);
    expect(error).toMatchObject({
      code: 'E_PAYMENT_DECLINED',
      status: 402,
      retryable: false,
      expose: true,
    });
    expect(error.name).toBe('PaymentDeclinedError');
    expect(PaymentDeclinedError.name).toBe('PaymentDeclinedError');
    expect(error.stack?.split('\n')[0]).toBe('PaymentDeclinedError: Card expired');
    expect(errorRegistry.get('E_PAYMENT_DECLINED')).toMatchObject({
      status: 402,
      title: 'Payment Declined',
      type: `${DEFAULT_PROBLEM_TYPE_BASE_URI}e_payment_declined`,
      errorClass: PaymentDeclinedError,
    });
  });

  it('defaults expose to status < 500 and takes every flag', () => {
    const Upstream = defineError({
      code: 'E_UPSTREAM_BROKEN',
      status: 502,
      title: 'Bad Gateway',
      name: 'UpstreamBrokenError',
      retryable: true,
      captureStack: false,
      type: 'https://example.com/problems/upstream',
    });
    const error = new Upstream();
    expect(error).toMatchObject({ expose: false, retryable: true, name: 'UpstreamBrokenError' });
    expect(error.stack).toBe('UpstreamBrokenError: Bad Gateway');
    expect(toProblem(error).type).toBe('https://example.com/problems/upstream');
  });

  it('revives the defined class after crossing a process boundary', () => {
    const QuotaError = defineError({
      code: 'E_QUOTA_EXCEEDED',
      status: 403,
      title: 'Quota Exceeded',
    });
    const revived = deserializeError(
      JSON.parse(JSON.stringify(serializeError(new QuotaError('over')))),
    );
    expect(revived).toBeInstanceOf(QuotaError);
    expect(isRampartError(revived, 'E_QUOTA_EXCEEDED')).toBe(true);
  });

  it('rejects a code that is already registered', () => {
    defineError({ code: 'E_DUPLICATE_ONE', status: 400, title: 'One' });
    expect(() => defineError({ code: 'E_DUPLICATE_ONE', status: 400, title: 'Two' })).toThrow(
      'defineError: code E_DUPLICATE_ONE is already registered by DuplicateOneError',
    );
    expect(() => defineError({ code: 'E_NOT_FOUND', status: 404, title: 'Mine' })).toThrow(
      ConfigurationError,
    );
  });

  it('names every malformed field', () => {
    let thrown: unknown;
    try {
      defineError({ code: 'not-a-code', status: 200, title: ' ' });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigurationError);
    expect((thrown as ConfigurationError).issues.map((issue) => issue.path)).toEqual([
      'code',
      'status',
      'title',
    ]);
    expect(String(thrown)).toContain('`status` must be at least 400 (got 200)');
  });

  it('rejects options that are not an object', () => {
    expect(() => defineError(null as never)).toThrow(
      'defineError: the options must be an object (got null)',
    );
  });

  it('lets a subclass of a registered class take over its code', () => {
    const Base = defineError({ code: 'E_REFINED', status: 400, title: 'Refined' });
    class Refined extends Base {
      get hint(): string {
        return 'refined';
      }
    }
    errorRegistry.register(Refined);
    expect(errorRegistry.get('E_REFINED')?.errorClass).toBe(Refined);
    expect(deserializeError(serializeError(new Refined()))).toBeInstanceOf(Refined);
    expect(() => errorRegistry.register(Base)).toThrow(ConfigurationError);
  });

  it('lists built-ins first, then definitions in order', () => {
    const codes = errorRegistry.list().map((entry) => entry.code);
    expect(codes.slice(0, 3)).toEqual(['E_VALIDATION', 'E_UNAUTHORIZED', 'E_FORBIDDEN']);
    expect([...errorRegistry].length).toBe(codes.length);
    expect(errorRegistry.has('E_TIMEOUT')).toBe(true);
    expect(errorRegistry.has('E_NOPE')).toBe(false);
  });
});
