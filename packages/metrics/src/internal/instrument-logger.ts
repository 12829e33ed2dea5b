/** What `instrument()` records from `@rampart/logger`'s channels (subscribed by name, types only). */
import type {
  LoggerCloseEvent,
  LoggerDestinationErrorEvent,
  LoggerRotateEvent,
  LoggerSlowOperationEvent,
  loggerChannels,
} from '@rampart/logger';
import { instrumentMetricNames as names } from '../instrument-metric-names.ts';
import { errorTypeOf } from './error-type.ts';
import type { ChannelListeners, PackageInstrumentation, Recorder } from './instrument-recorder.ts';

/** The channel names, checked against the package's own `loggerChannels` by the type. */
export const LOGGER_CHANNELS: typeof loggerChannels = {
  slowOperation: 'rampart:logger:slow-operation',
  rotate: 'rampart:logger:rotate',
  destinationError: 'rampart:logger:destination-error',
  close: 'rampart:logger:close',
};

export function instrumentLogger(recorder: Recorder): PackageInstrumentation {
  const slowOperations = recorder.counter({
    name: names.loggerSlowOperations,
    help: 'Operations (timed() or HTTP requests) slower than their slowMs, by operation and whether they failed.',
    labelNames: ['operation', 'failed'],
  });
  const rotations = recorder.counter({
    name: names.loggerRotations,
    help: 'Log file rotations, by why.',
    labelNames: ['reason'],
  });
  const destinationErrors = recorder.counter({
    name: names.loggerDestinationErrors,
    help: 'Log destinations that failed to write, rotate, open or close.',
    labelNames: ['destination', 'operation', 'error_type'],
  });
  const droppedLines = recorder.counter({
    name: names.loggerDroppedLines,
    help: 'Log lines lost because a destination failed.',
    labelNames: ['destination'],
  });
  const closes = recorder.counter({
    name: names.loggerCloses,
    help: 'closeLogger runs, by whether every destination flushed and closed in time.',
    labelNames: ['complete'],
  });

  const listeners: ChannelListeners<typeof loggerChannels> = {
    slowOperation(event: LoggerSlowOperationEvent) {
      slowOperations(event.name, { operation: event.operation, failed: String(event.failed) });
    },
    rotate(event: LoggerRotateEvent) {
      rotations(event.name, { reason: event.reason });
    },
    destinationError(event: LoggerDestinationErrorEvent) {
      destinationErrors(event.name, {
        destination: event.destination,
        operation: event.operation,
        error_type: event.code ?? errorTypeOf(event.error),
      });
      droppedLines(event.name, { destination: event.destination }, event.droppedLines);
    },
    close(event: LoggerCloseEvent) {
      closes(event.name, { complete: String(event.complete) });
    },
  };
  return { channels: LOGGER_CHANNELS, listeners };
}
