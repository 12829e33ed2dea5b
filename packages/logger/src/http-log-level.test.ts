import { EventEmitter } from 'node:events';
import { ConfigurationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import type { HttpRequestOutcome } from './http-log-level.ts';
import { type HttpRequestLoggerOptions, httpRequestLogger } from './http-request-logger.ts';
import type { HttpRequestLike, HttpResponseLike } from './http-types.ts';
import { LEVEL_VALUES, type LogLevel } from './levels.ts';
import { capture } from './test-fixtures/capture.ts';

/** A response that finishes when told: no server, no timing. */
class FakeResponse extends EventEmitter implements HttpResponseLike {
  statusCode = 200;
  headersSent = false;
  setHeader(): void {}
}

function requestLine(
  options: HttpRequestLoggerOptions,
  request: Partial<HttpRequestLike>,
  statusCode: number,
) {
  const output = capture();
  const logger = createLogger({ destination: { stream: output.stream }, level: 'trace' });
  const response = new FakeResponse();
  httpRequestLogger(logger, options)({ headers: {}, url: '/', ...request }, response, () => {});
  response.statusCode = statusCode;
  response.emit('finish');
  return output.records().find((record) => record.req !== undefined);
}

const status = fc.integer({ min: 100, max: 599 });
const level = fc.constantFrom<LogLevel>('trace', 'debug', 'info', 'warn', 'error', 'fatal');

describe('httpRequestLogger levels', () => {
  it('keeps 5xx error, 4xx warn, else info by default', () => {
    fc.assert(
      fc.property(status, (code) => {
        const expected = code >= 500 ? 50 : code >= 400 ? 40 : 30;
        expect(requestLine({}, {}, code)?.level).toBe(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('takes levels by status, the exact status winning over its class', () => {
    fc.assert(
      fc.property(status, level, level, (code, byClass, byStatus) => {
        const statusClass = `${Math.trunc(code / 100)}xx`;
        const exact = requestLine(
          { level: { [statusClass]: byClass, [String(code)]: byStatus } },
          {},
          code,
        );
        expect(exact?.level).toBe(LEVEL_VALUES[byStatus]);
        const classOnly = requestLine({ level: { [statusClass]: byClass } }, {}, code);
        expect(classOnly?.level).toBe(LEVEL_VALUES[byClass]);
      }),
      { numRuns: 60 },
    );
  });

  it('writes no line for a silenced status, and keeps slow requests at warn or above', () => {
    expect(requestLine({ level: { '404': 'silent' } }, {}, 404)).toBeUndefined();
    expect(requestLine({ level: { '4xx': 'info' } }, {}, 404)?.level).toBe(30);
    const slow = requestLine({ level: { '2xx': 'debug' }, slowMs: 0, clock: ticking() }, {}, 200);
    expect(slow).toMatchObject({ level: 40, slow: true });
  });

  it('asks a level function with the outcome, and falls back to the default when it fails', () => {
    const seen: HttpRequestOutcome[] = [];
    const line = requestLine(
      {
        level: (outcome) => {
          seen.push(outcome);
          return outcome.statusCode === 503 ? 'info' : 'error';
        },
      },
      { url: '/orders?id=1', method: 'POST' },
      503,
    );
    expect(line?.level).toBe(30);
    expect(seen[0]).toMatchObject({ statusCode: 503, slow: false, aborted: false });
    expect(seen[0]?.request.url).toBe('/orders?id=1');
    const broken = () => {
      throw new Error('chooser bug');
    };
    expect(requestLine({ level: broken }, {}, 500)?.level).toBe(50);
    const wrong = (() => 'loud') as unknown as () => LogLevel;
    expect(requestLine({ level: wrong }, {}, 404)?.level).toBe(40);
  });

  it('skips ignored paths, exact or by prefix, whatever the query string', () => {
    const options = { ignorePaths: ['/healthz', '/internal/*'] };
    expect(requestLine(options, { url: '/healthz' }, 200)).toBeUndefined();
    expect(requestLine(options, { url: '/healthz?probe=1' }, 503)).toBeUndefined();
    expect(requestLine(options, { url: '/internal/metrics' }, 200)).toBeUndefined();
    expect(requestLine(options, { url: '/healthz/deep' }, 200)).toBeDefined();
    expect(requestLine(options, { url: '/internals' }, 200)).toBeDefined();
  });

  it('rejects bad level maps and ignored paths, naming the field', () => {
    const logger = createLogger({ destination: { stream: capture().stream } });
    const bad = [
      { level: { '6xx': 'info' } },
      { level: { '4xx': 'loud' } },
      { level: 'warn' },
      { ignorePaths: ['healthz'] },
    ] as unknown as HttpRequestLoggerOptions[];
    for (const options of bad) {
      expect(() => httpRequestLogger(logger, options)).toThrow(ConfigurationError);
    }
    expect(() => httpRequestLogger(logger, bad[0])).toThrow(/level/);
    expect(() => httpRequestLogger(logger, bad[3])).toThrow(/ignorePaths/);
  });
});

describe('httpRequestLogger credential headers', () => {
  it('redacts every credential-bearing header even when listed, in any spelling', () => {
    const credential = fc.constantFrom(
      'authorization',
      'Proxy-Authorization',
      'cookie',
      'Set-Cookie',
      'x-api-key',
      'X-Auth-Token',
      'x-amz-security-token',
      'x-session-id',
      'x-client-secret',
      'x-csrf-token',
    );
    fc.assert(
      fc.property(credential, fc.string({ minLength: 1, maxLength: 20 }), (name, secret) => {
        const value = `secret-${secret}`;
        const line = requestLine(
          { headers: [name, 'x-tenant'] },
          { headers: { [name.toLowerCase()]: value, 'x-tenant': 'acme' } },
          200,
        );
        expect(JSON.stringify(line)).not.toContain(JSON.stringify(value).slice(1, -1));
        expect(line?.req).toMatchObject({
          headers: { [name.toLowerCase()]: '[Redacted]', 'x-tenant': 'acme' },
        });
      }),
      { numRuns: 60 },
    );
  });
});

/** A clock that moves 10 ms per read, so any slowMs of 0 is exceeded. */
function ticking() {
  let now = 0;
  return { now: () => (now += 10) };
}
