import { describe, expect, it, vi } from 'vitest';
import {
  CircuitOpenError,
  ConfigurationError,
  ConflictError,
  ForbiddenError,
  InternalError,
  isRampartError,
  NotFoundError,
  RampartError,
  RateLimitedError,
  TimeoutError,
  UnauthorizedError,
  UnavailableError,
  ValidationError,
} from './index.ts';

describe('built-in errors', () => {
  it.each([
    [ValidationError, 'E_VALIDATION', 400, false, true],
    [UnauthorizedError, 'E_UNAUTHORIZED', 401, false, true],
    [ForbiddenError, 'E_FORBIDDEN', 403, false, true],
    [NotFoundError, 'E_NOT_FOUND', 404, false, true],
    [ConflictError, 'E_CONFLICT', 409, false, true],
    [RateLimitedError, 'E_RATE_LIMITED', 429, true, true],
    [TimeoutError, 'E_TIMEOUT', 504, true, false],
    [CircuitOpenError, 'E_CIRCUIT_OPEN', 503, true, false],
    [UnavailableError, 'E_UNAVAILABLE', 503, true, false],
    [ConfigurationError, 'E_CONFIG', 500, false, false],
    [InternalError, 'E_INTERNAL', 500, false, false],
  ] as const)(
    '%o maps to %s, status %i, retryable %s, exposed %s',
    (ErrorClass, code, status, retryable, expose) => {
      const error = new ErrorClass('boom');
      expect(error).toBeInstanceOf(RampartError);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ code, status, retryable, expose, message: 'boom' });
      expect(error.name).toBe(ErrorClass.name);
      expect(Object.prototype.toString.call(error)).toBe('[object Error]');
    },
  );

  it('names a plain subclass after itself while keeping the code', () => {
    class UserNotFoundError extends NotFoundError {}
    const error = new UserNotFoundError('No user 42');
    expect(error.name).toBe('UserNotFoundError');
    expect(error.code).toBe('E_NOT_FOUND');
    expect(new NotFoundError().name).toBe('NotFoundError');
  });

  it('uses the title as message when none is given', () => {
    expect(new NotFoundError().message).toBe('Not Found');
  });

  it('names the class in the stack and points at the throw site', () => {
    const error = new NotFoundError('No user 42');
    const [header, firstFrame] = (error.stack ?? '').split('\n');
    expect(header).toBe('NotFoundError: No user 42');
    expect(firstFrame).toContain('rampart-error.test.ts');
  });

  it('skips stack capture when asked, per call or per class', () => {
    const cheap = new NotFoundError('gone', { captureStack: false });
    expect(cheap.stack).toBe('NotFoundError: gone');
    expect(new RateLimitedError('slow').stack).toBe('RateLimitedError: slow');
    expect(
      new RateLimitedError('slow', { captureStack: true }).stack?.split('\n').length,
    ).toBeGreaterThan(1);
  });

  it('restores Error.stackTraceLimit after a stack-less construction', () => {
    const before = Error.stackTraceLimit;
    new RateLimitedError();
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('keeps details, context and an ES2022 cause', () => {
    const cause = new Error('socket closed');
    const error = new UnavailableError('db down', {
      details: { dependency: 'db' },
      context: { host: '10.0.0.7' },
      cause,
    });
    expect(error.details).toEqual({ dependency: 'db' });
    expect(error.context).toEqual({ host: '10.0.0.7' });
    expect(error.cause).toBe(cause);
    expect(Object.hasOwn(new NotFoundError(), 'cause')).toBe(false);
  });

  it('lets one instance override retryable and expose', () => {
    const error = new InternalError('shown on purpose', { retryable: true, expose: true });
    expect(error.retryable).toBe(true);
    expect(error.expose).toBe(true);
  });

  it('carries retry hints, policies and issues on the errors that have them', () => {
    expect(new CircuitOpenError('open', { retryAfterMs: 500 }).retryAfterMs).toBe(500);
    expect(new UnavailableError().retryAfterMs).toBeUndefined();
    const limited = new RateLimitedError('slow', {
      retryAfterMs: 1_000,
      policies: [{ name: 'minute', limit: 60, windowMs: 60_000 }],
    });
    expect(limited.policies).toEqual([{ name: 'minute', limit: 60, windowMs: 60_000 }]);
    const issue = { path: 'email', message: 'must be an email', code: 'invalid_format' };
    expect(new ValidationError('bad', { issues: [issue] }).issues).toEqual([issue]);
    expect(new ConfigurationError().issues).toEqual([]);
  });

  it('serialises itself with toJSON, without the stack', () => {
    const json = JSON.parse(JSON.stringify(new NotFoundError('gone', { details: { id: 1 } })));
    expect(json).toEqual({
      rampart: true,
      name: 'NotFoundError',
      message: 'gone',
      code: 'E_NOT_FOUND',
      status: 404,
      retryable: false,
      expose: true,
      details: { id: 1 },
    });
  });
});

describe('isRampartError', () => {
  it('recognises Rampart errors and filters by code', () => {
    const error = new TimeoutError();
    expect(isRampartError(error)).toBe(true);
    expect(isRampartError(error, 'E_TIMEOUT')).toBe(true);
    expect(isRampartError(error, 'E_NOT_FOUND')).toBe(false);
  });

  it.each([new Error('x'), 'E_TIMEOUT', null, undefined, 42, { code: 'E_TIMEOUT', status: 504 }])(
    'rejects %o',
    (value) => {
      expect(isRampartError(value)).toBe(false);
    },
  );

  it('works across two copies of the package, where instanceof does not', async () => {
    vi.resetModules();
    const specifier = './index.ts?copy=2';
    const copy = (await import(/* @vite-ignore */ specifier)) as typeof import('./index.ts');
    const foreign = new copy.NotFoundError('from the other copy');
    expect(foreign).not.toBeInstanceOf(NotFoundError);
    expect(isRampartError(foreign, 'E_NOT_FOUND')).toBe(true);
    expect(copy.isRampartError(new NotFoundError())).toBe(true);
  });

  it('never throws on hostile objects', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
      },
    );
    expect(isRampartError(hostile)).toBe(false);
  });
});
