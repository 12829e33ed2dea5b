import {
  CircuitOpenError,
  ConflictError,
  InternalError,
  NotFoundError,
  RateLimitedError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isRetryable } from './is-retryable.ts';

function withCode(code: string, message = code): Error {
  return Object.assign(new Error(message), { code });
}

function withStatus(status: number): Error {
  return Object.assign(new Error(`HTTP ${status}`), { status });
}

describe('isRetryable', () => {
  it.each([
    ['a timeout (E_TIMEOUT)', new TimeoutError()],
    ['a rate limit (E_RATE_LIMITED)', new RateLimitedError()],
    ['an unavailable dependency (E_UNAVAILABLE)', new UnavailableError()],
    ['an open circuit (E_CIRCUIT_OPEN)', new CircuitOpenError()],
    ['a Rampart error marked retryable', new InternalError('lock lost', { retryable: true })],
    ['ECONNRESET', withCode('ECONNRESET')],
    ['ETIMEDOUT', withCode('ETIMEDOUT')],
    ['ECONNREFUSED', withCode('ECONNREFUSED')],
    ['EPIPE', withCode('EPIPE')],
    ['EAI_AGAIN', withCode('EAI_AGAIN')],
    ['EHOSTUNREACH', withCode('EHOSTUNREACH')],
    ["undici's UND_ERR_SOCKET", withCode('UND_ERR_SOCKET')],
    [
      "fetch's `fetch failed` caused by ECONNRESET",
      new TypeError('fetch failed', { cause: withCode('ECONNRESET') }),
    ],
    [
      'a network code two causes deep',
      new Error('query failed', { cause: new Error('io', { cause: withCode('EPIPE') }) }),
    ],
    ['HTTP 408', withStatus(408)],
    ['HTTP 425', withStatus(425)],
    ['HTTP 429', withStatus(429)],
    ['HTTP 500', withStatus(500)],
    ['HTTP 502', withStatus(502)],
    ['HTTP 503', withStatus(503)],
    ['HTTP 504', withStatus(504)],
    ['statusCode 503 (got, http-errors)', Object.assign(new Error('x'), { statusCode: 503 })],
    [
      'response.status 502 (axios, ky)',
      Object.assign(new Error('x'), { response: { status: 502 } }),
    ],
    [
      '$metadata.httpStatusCode 500 (AWS SDK)',
      Object.assign(new Error('x'), { $metadata: { httpStatusCode: 500 } }),
    ],
    ['a DOMException TimeoutError (AbortSignal.timeout)', new DOMException('slow', 'TimeoutError')],
    ['a plain Error without code or status', new Error('flaky')],
    ['a plain object without code or status', { message: 'flaky' }],
  ])('retries %s', (_, error) => {
    expect(isRetryable(error)).toBe(true);
  });

  it.each([
    ['a validation error (E_VALIDATION)', new ValidationError()],
    ['a not-found error (E_NOT_FOUND)', new NotFoundError()],
    ['a conflict (E_CONFLICT)', new ConflictError()],
    ['an internal error (E_INTERNAL)', new InternalError()],
    ['a retryable error marked not retryable', new TimeoutError('x', { retryable: false })],
    ['a caller abort (DOMException AbortError)', new DOMException('aborted', 'AbortError')],
    ['an AbortSignal reason', AbortSignal.abort().reason],
    ['an Error named AbortError', Object.assign(new Error('stop'), { name: 'AbortError' })],
    ['a TypeError', new TypeError('undefined is not a function')],
    ['a ReferenceError', new ReferenceError('x is not defined')],
    ['a SyntaxError', new SyntaxError('Unexpected token')],
    ['HTTP 400', withStatus(400)],
    ['HTTP 401', withStatus(401)],
    ['HTTP 403', withStatus(403)],
    ['HTTP 404', withStatus(404)],
    ['HTTP 409', withStatus(409)],
    ['HTTP 422', withStatus(422)],
    ['HTTP 501', withStatus(501)],
    ['HTTP 505', withStatus(505)],
    ['ENOENT', withCode('ENOENT')],
    ['ERR_INVALID_ARG_TYPE', withCode('ERR_INVALID_ARG_TYPE')],
    ['a thrown string', 'boom'],
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
  ])('does not retry %s', (_, error) => {
    expect(isRetryable(error)).toBe(false);
  });

  it('prefers a transient network code over an HTTP status', () => {
    expect(isRetryable(Object.assign(withCode('ECONNRESET'), { status: 400 }))).toBe(true);
  });

  it('never throws, even for hostile values', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('trap');
        },
        getPrototypeOf() {
          throw new Error('trap');
        },
      },
    );
    expect(isRetryable(hostile)).toBe(false);
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(typeof isRetryable(value)).toBe('boolean');
      }),
    );
  });
});
