import {
  defineError,
  NotFoundError,
  TimeoutError,
  UnavailableError,
  ValidationError,
} from '@rampart/errors';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import {
  createErrorSerializer,
  errorSerializer,
  type SerializedLogError,
} from './error-serializer.ts';
import { capture } from './test-fixtures/capture.ts';

describe('errorSerializer', () => {
  it('writes type, message, code, status, retryable, details and the stack of a Rampart error', () => {
    const error = new TimeoutError('upstream too slow', {
      details: { timeoutMs: 500 },
      context: { query: 'SELECT * FROM users', host: 'db-1' },
    });
    const serialized = errorSerializer(error);
    expect(serialized).toEqual({
      type: 'TimeoutError',
      message: 'upstream too slow',
      code: 'E_TIMEOUT',
      status: 504,
      retryable: true,
      details: { timeoutMs: 500 },
      stack: error.stack,
    });
    expect(serialized.stack).toContain('TimeoutError: upstream too slow');
  });

  it('never writes the internal context unless asked', () => {
    const error = new NotFoundError('no user', { context: { lookup: 'users/42', token: 'abc' } });
    expect(errorSerializer(error)).not.toHaveProperty('context');
    expect(createErrorSerializer({ context: true })(error).context).toEqual({
      lookup: 'users/42',
      token: '[Redacted]',
    });
  });

  it('writes the whole cause chain, including non-error causes and foreign codes', () => {
    const socket = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', errno: -104 });
    const middle = new UnavailableError('payments unavailable', { cause: socket });
    const top = new Error('checkout failed', { cause: middle });
    const withPrimitiveCause = new Error('odd', { cause: { reason: 'quota', apiKey: 'k' } });

    const serialized = errorSerializer(top);
    expect(serialized).toMatchObject({
      type: 'Error',
      message: 'checkout failed',
      cause: {
        type: 'UnavailableError',
        code: 'E_UNAVAILABLE',
        status: 503,
        cause: { type: 'Error', message: 'socket hang up', code: 'ECONNRESET', errno: -104 },
      },
    });
    expect((serialized.cause as SerializedLogError).cause).toHaveProperty('stack');
    expect(errorSerializer(withPrimitiveCause).cause).toEqual({
      reason: 'quota',
      apiKey: '[Redacted]',
    });
  });

  it('writes the errors of an AggregateError, each with its own cause', () => {
    const aggregate = new AggregateError(
      [
        new ValidationError('bad email', { captureStack: false }),
        new Error('db down', { cause: new Error('connection refused') }),
      ],
      'two failures',
    );
    expect(errorSerializer(aggregate)).toMatchObject({
      type: 'AggregateError',
      message: 'two failures',
      errors: [
        { type: 'ValidationError', code: 'E_VALIDATION', status: 400 },
        { type: 'Error', message: 'db down', cause: { message: 'connection refused' } },
      ],
    });
  });

  it('survives cycles in the cause chain and values that are not errors', () => {
    const first = new Error('first');
    const second = new Error('second', { cause: first });
    Object.assign(first, { cause: second });
    const serialized = errorSerializer(first);
    expect(serialized.message).toBe('first');
    expect(JSON.stringify(serialized)).toContain('[Circular]');
    expect(errorSerializer('plain string')).toMatchObject({
      type: 'Error',
      message: 'plain string',
    });
    expect(errorSerializer(undefined)).toMatchObject({ type: 'Error' });
  });

  it('writes codes of errors made with defineError', () => {
    const QuotaError = defineError({ code: 'E_TEST_QUOTA', status: 429, title: 'Quota' });
    expect(errorSerializer(new QuotaError('over quota'))).toMatchObject({
      type: 'TestQuotaError',
      code: 'E_TEST_QUOTA',
      status: 429,
    });
  });

  it('leaves stacks out with stack: false', () => {
    const serialized = createErrorSerializer({ stack: false })(
      new Error('no stack', { cause: new Error('inner') }),
    );
    expect(JSON.stringify(serialized)).not.toContain('"stack"');
  });

  it('redacts sensitive extras at any depth', () => {
    const error = Object.assign(new Error('401'), {
      response: { data: { nested: { refresh_token: 'r' } } },
      password: 'p',
    });
    const text = JSON.stringify(errorSerializer(error));
    expect(text).not.toContain('"r"');
    expect(text).not.toContain('"p"');
  });

  it('is what createLogger uses for err and error fields, and logger.error(error)', () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const failure = new TimeoutError('slow', { context: { secretQuery: 'x' } });
    logger.error(failure);
    logger.error({ err: failure }, 'as err');
    logger.error({ error: failure }, 'as error');
    const records = output.records();
    expect(records[0]).toMatchObject({ msg: 'slow', err: { code: 'E_TIMEOUT', status: 504 } });
    expect(records[1]?.err).toMatchObject({ code: 'E_TIMEOUT' });
    expect(records[2]?.error).toMatchObject({ code: 'E_TIMEOUT' });
    expect(output.lines.join('')).not.toContain('secretQuery');
  });

  it('works with a plain pino logger', () => {
    const output = capture();
    const logger = pino({ serializers: { err: errorSerializer } }, output.stream);
    logger.error(new TimeoutError('slow'));
    expect(output.last().err).toMatchObject({ type: 'TimeoutError', code: 'E_TIMEOUT' });
  });
});
