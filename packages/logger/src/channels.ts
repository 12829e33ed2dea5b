import { channel } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';

/**
 * The `node:diagnostics_channel` channels this package publishes on. Nothing is published
 * (and nothing is built) while a channel has no subscriber.
 *
 * @example
 * ```ts
 * import { subscribe } from 'node:diagnostics_channel';
 * import { loggerChannels, type LoggerSlowOperationEvent } from '@rampart/logger';
 *
 * subscribe(loggerChannels.slowOperation, (message) => {
 *   const event = message as LoggerSlowOperationEvent;
 *   slowOperations.inc({ operation: event.operation });
 * });
 * ```
 */
export const loggerChannels = {
  /** An operation (from `timed` or `httpRequestLogger`) was slower than its `slowMs`. */
  slowOperation: 'rampart:logger:slow-operation',
  /** A rotating file destination rotated its file. */
  rotate: 'rampart:logger:rotate',
  /** A destination failed to write, rotate or close; lines may have been lost. */
  destinationError: 'rampart:logger:destination-error',
  /** `closeLogger` finished (or gave up at its timeout). */
  close: 'rampart:logger:close',
} as const;

/**
 * Payload of {@link loggerChannels}.slowOperation.
 *
 * @group Events
 */
export interface LoggerSlowOperationEvent {
  /** The logger's `name` (`default` when it has none). */
  readonly name: string;
  /** What was slow: the `timed` name, or `HTTP <method> <route>` for a request. */
  readonly operation: string;
  /** How long it took, in milliseconds. */
  readonly durationMs: number;
  /** The threshold it crossed, in milliseconds. */
  readonly slowMs: number;
  /** Whether the operation failed (threw, rejected, or answered with a 5xx). */
  readonly failed: boolean;
}

/**
 * Payload of {@link loggerChannels}.rotate.
 *
 * @group Events
 */
export interface LoggerRotateEvent {
  /** The logger's `name` (`default` when it has none). */
  readonly name: string;
  /** The active log file's path; the rotated one is now `<file>.1`. */
  readonly file: string;
  /** Why it rotated: the file reached `size`, or a `frequency` period ended. */
  readonly reason: 'size' | 'frequency';
  /** Size of the rotated file in bytes. */
  readonly bytes: number;
}

/**
 * Payload of {@link loggerChannels}.destinationError.
 *
 * @group Events
 */
export interface LoggerDestinationErrorEvent {
  /** The logger's `name` (`default` when it has none). */
  readonly name: string;
  /** Which kind of destination failed. */
  readonly destination: 'stdout' | 'stderr' | 'pretty' | 'file' | 'stream';
  /** What it was doing. */
  readonly operation: 'write' | 'rotate' | 'open' | 'close';
  /** The failure. */
  readonly error: unknown;
  /** The error's Rampart or system code (`ENOSPC`), when it has one. */
  readonly code: string | undefined;
  /** Lines dropped because of this failure (0 when none were lost). */
  readonly droppedLines: number;
}

/**
 * Payload of {@link loggerChannels}.close.
 *
 * @group Events
 */
export interface LoggerCloseEvent {
  /** The logger's `name` (`default` when it has none). */
  readonly name: string;
  /** Whether every destination flushed and closed within the timeout, without error. */
  readonly complete: boolean;
  /** Destinations still flushing when the timeout fired. */
  readonly pending: number;
  /** How long closing took, in milliseconds. */
  readonly durationMs: number;
}

const slowOperationChannel = channel(loggerChannels.slowOperation);
const rotateChannel = channel(loggerChannels.rotate);
const destinationErrorChannel = channel(loggerChannels.destinationError);
const closeChannel = channel(loggerChannels.close);

export function publishSlowOperation(event: LoggerSlowOperationEvent): void {
  if (slowOperationChannel.hasSubscribers) slowOperationChannel.publish(event);
}

export function publishRotate(event: LoggerRotateEvent): void {
  if (rotateChannel.hasSubscribers) rotateChannel.publish(event);
}

export function publishDestinationError(event: Omit<LoggerDestinationErrorEvent, 'code'>): void {
  if (destinationErrorChannel.hasSubscribers) {
    destinationErrorChannel.publish({ ...event, code: codeOf(event.error) });
  }
}

export function publishClose(event: LoggerCloseEvent): void {
  if (closeChannel.hasSubscribers) closeChannel.publish(event);
}

function codeOf(error: unknown): string | undefined {
  if (isRampartError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}
