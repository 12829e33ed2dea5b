/**
 * pino with request context, secure redaction defaults, error causes, rotating files,
 * clean shutdown, and `logEvents()`, which logs what the other Rampart packages report.
 *
 * @example
 * ```ts
 * import { closeLogger, createLogger, httpRequestLogger } from '@rampart/logger';
 *
 * const logger = createLogger({ name: 'orders-api' });
 * const logRequests = httpRequestLogger(logger); // one line per request, with its id
 * logger.info({ user: { id: 7, password: 'hunter2' } }, 'signed in'); // password: "[Redacted]"
 * await closeLogger(logger);
 * ```
 *
 * @packageDocumentation
 * @module @rampart/logger
 */
export type {
  LoggerCloseEvent,
  LoggerDestinationErrorEvent,
  LoggerRotateEvent,
  LoggerSlowOperationEvent,
} from './channels.ts';
export { loggerChannels } from './channels.ts';
export type { Clock } from './clock.ts';
export type { CloseLoggerOptions, CloseLoggerResult } from './close-logger.ts';
export { closeLogger } from './close-logger.ts';
export type { Logger, LoggerOptions } from './create-logger.ts';
export { createLogger } from './create-logger.ts';
export type {
  ConsoleDestination,
  FileDestination,
  LogDestination,
  LogStream,
  RotationOptions,
  StreamDestination,
} from './destinations.ts';
export type { ErrorSerializerOptions, SerializedLogError } from './error-serializer.ts';
export { createErrorSerializer, errorSerializer } from './error-serializer.ts';
export type {
  HttpRequestLevel,
  HttpRequestOutcome,
  HttpStatusLevels,
} from './http-log-level.ts';
export type {
  HttpRequestLoggerHandler,
  HttpRequestLoggerOptions,
} from './http-request-logger.ts';
export { httpRequestLogger } from './http-request-logger.ts';
export type { HttpRequestLike, HttpResponseLike } from './http-types.ts';
export type { LogLevel } from './levels.ts';
export type { LogBindings } from './log-context.ts';
export { getLogContext, withLogContext } from './log-context.ts';
export type { LoggedEvent } from './log-event-levels.ts';
export { defaultLogEventLevels } from './log-event-levels.ts';
export type { LogEventsOptions, LogEventsPackage } from './log-events.ts';
export { logEvents } from './log-events.ts';
export { defaultRedactedKeys } from './redaction.ts';
export { setRequestError } from './request-error.ts';
export { setLevel } from './set-level.ts';
export type { TimedOptions } from './timed.ts';
export { timed } from './timed.ts';
