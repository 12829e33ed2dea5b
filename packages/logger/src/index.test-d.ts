import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger as PinoLogger } from 'pino';
import { describe, expectTypeOf, it } from 'vitest';
import {
  type CloseLoggerResult,
  closeLogger,
  createLogger,
  errorSerializer,
  getLogContext,
  type HttpRequestLevel,
  type HttpRequestLoggerHandler,
  type HttpRequestOutcome,
  type HttpStatusLevels,
  httpRequestLogger,
  type LogBindings,
  type LoggedEvent,
  type Logger,
  type LoggerOptions,
  logEvents,
  loggerChannels,
  type SerializedLogError,
  setLevel,
  setRequestError,
  timed,
  withLogContext,
} from './index.ts';

describe('types', () => {
  it('createLogger returns a pino logger that can be disposed', () => {
    const logger = createLogger();
    expectTypeOf(logger).toEqualTypeOf<Logger>();
    expectTypeOf(logger).toExtend<PinoLogger>();
    expectTypeOf(logger).toExtend<AsyncDisposable>();
    expectTypeOf(logger.child({ a: 1 })).toExtend<PinoLogger>();
  });

  it('accepts only known options and levels', () => {
    expectTypeOf<{ level: 'verbose' }>().not.toExtend<LoggerOptions>();
    expectTypeOf<{ destination: 'console' }>().not.toExtend<LoggerOptions>();
    expectTypeOf<{
      destination: ['stdout', { file: string; rotate: { size: '10m'; count: 5 } }];
    }>().toExtend<LoggerOptions>();
  });

  it('withLogContext returns what the function returns', () => {
    expectTypeOf(withLogContext({ a: 1 }, () => 42)).toEqualTypeOf<number>();
    expectTypeOf(withLogContext({}, async () => 'x')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(getLogContext()).toEqualTypeOf<LogBindings>();
  });

  it('timed resolves to what fn resolves to and hands it a signal', () => {
    const logger = createLogger();
    expectTypeOf(timed(logger, 'x', async () => 1)).toEqualTypeOf<Promise<number>>();
    expectTypeOf(timed(logger, 'x', () => 'sync')).toEqualTypeOf<Promise<string>>();
    timed(logger, 'x', (signal) => expectTypeOf(signal).toEqualTypeOf<AbortSignal>());
  });

  it('the request logger takes node:http requests and responses, with or without next', () => {
    const handler = httpRequestLogger(createLogger());
    expectTypeOf(handler).toEqualTypeOf<HttpRequestLoggerHandler>();
    expectTypeOf(handler).toBeCallableWith({} as IncomingMessage, {} as ServerResponse, () => {});
    expectTypeOf(handler).toBeCallableWith({} as IncomingMessage, {} as ServerResponse);
  });

  it('shutdown and levels', () => {
    expectTypeOf(closeLogger(createLogger())).toEqualTypeOf<Promise<CloseLoggerResult>>();
    expectTypeOf(setLevel)
      .parameter(1)
      .toEqualTypeOf<'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'>();
    expectTypeOf(errorSerializer).returns.toEqualTypeOf<SerializedLogError>();
    expectTypeOf(loggerChannels.slowOperation).toEqualTypeOf<'rampart:logger:slow-operation'>();
  });

  it('logEvents returns a disposer and takes levels by known event', () => {
    const logger = createLogger();
    expectTypeOf(logEvents(logger)).toEqualTypeOf<() => void>();
    logEvents(logger, { levels: { 'cache.l2-down': 'error' }, minIntervalMs: 0 });
    // @ts-expect-error not an event logEvents writes
    logEvents(logger, { levels: { 'cache.hit': 'info' } });
    expectTypeOf<'circuit-breaker.opened'>().toExtend<LoggedEvent>();
  });
  it('request levels and errors', () => {
    const logger = createLogger();
    httpRequestLogger(logger, {
      level: { '4xx': 'info', '404': 'silent' },
      ignorePaths: ['/healthz'],
    });
    httpRequestLogger(logger, {
      level: (outcome: HttpRequestOutcome) => (outcome.failure === undefined ? 'info' : 'error'),
    });
    // @ts-expect-error not a level
    httpRequestLogger(logger, { level: { '4xx': 'loud' } });
    expectTypeOf(setRequestError).returns.toEqualTypeOf<void>();
    expectTypeOf<HttpStatusLevels>().toExtend<HttpRequestLevel>();
  });
});
