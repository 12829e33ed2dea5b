import { EventEmitter } from 'node:events';
import { NotFoundError, TimeoutError, UnavailableError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import { type HttpRequestLoggerOptions, httpRequestLogger } from './http-request-logger.ts';
import type { HttpResponseLike } from './http-types.ts';
import { setRequestError } from './request-error.ts';
import { capture } from './test-fixtures/capture.ts';

class FakeResponse extends EventEmitter implements HttpResponseLike {
  statusCode = 200;
  headersSent = false;
  setHeader(): void {}
}

/** Runs one request that fails with `error` and answers `statusCode`; returns every line. */
function failedRequest(error: unknown, statusCode: number, options: HttpRequestLoggerOptions = {}) {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, level: 'trace' });
  const response = new FakeResponse();
  httpRequestLogger(logger, options)({ headers: {}, url: '/prices/7' }, response, () => {
    setRequestError(response, error);
    response.statusCode = statusCode;
  });
  response.emit('finish');
  return output.records();
}

describe('setRequestError', () => {
  it('puts the error on the request line: one line per request', () => {
    const cause = new Error('socket hang up');
    const lines = failedRequest(new UnavailableError('pricing is down', { cause }), 503);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 40,
      res: { statusCode: 503 },
      err: {
        code: 'E_UNAVAILABLE',
        message: 'pricing is down',
        cause: { message: 'socket hang up' },
      },
    });
  });

  it('writes error only for unexpected failures, whatever the status', () => {
    const rampartError = fc.constantFrom(
      () => new UnavailableError('down'),
      () => new TimeoutError('slow'),
      () => new NotFoundError('missing'),
    );
    fc.assert(
      fc.property(rampartError, fc.integer({ min: 400, max: 599 }), (make, status) => {
        const [expected] = failedRequest(make(), status);
        expect(expected?.level).toBe(status >= 500 ? 40 : 30);
        const [unexpected] = failedRequest(new TypeError('x is undefined'), status);
        expect(unexpected?.level).toBe(50);
        expect(unexpected?.err).toMatchObject({ type: 'TypeError' });
      }),
      { numRuns: 40 },
    );
  });

  it('gives the error to a level function, and redacts it like any error', () => {
    const error = Object.assign(new Error('upstream said no'), {
      config: { headers: { Authorization: 'Bearer do-not-log-me' } },
    });
    const lines = failedRequest(error, 502, {
      level: ({ failure }) => (failure?.error === error ? 'fatal' : 'info'),
    });
    expect(lines[0]?.level).toBe(60);
    expect(JSON.stringify(lines)).not.toContain('do-not-log-me');
  });

  it('changes nothing when no error is attached, or the response is not an object', () => {
    expect(() =>
      setRequestError(undefined as unknown as HttpResponseLike, new Error('x')),
    ).not.toThrow();
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const response = new FakeResponse();
    httpRequestLogger(logger)({ headers: {}, url: '/' }, response, () => {
      response.statusCode = 500;
    });
    response.emit('finish');
    expect(output.last()).toMatchObject({ level: 50 });
    expect(output.last()).not.toHaveProperty('err');
  });
});
