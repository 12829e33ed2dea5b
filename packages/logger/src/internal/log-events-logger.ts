/** What `logEvents()` logs from this package's own channels. */
import { type LoggerDestinationErrorEvent, loggerChannels } from '../channels.ts';
import {
  type ChannelListeners,
  type LogEventsContext,
  type PackageLogging,
  quoted,
} from './log-events-context.ts';

/**
 * Logs destination failures (`error`, at most one line per logger and destination per
 * interval). The line is written on the next microtask: a destination fails while pino is
 * writing, and logging from inside that write would re-enter it. Slow operations are logged
 * already by `timed` and `httpRequestLogger`; rotations are routine; `closeLogger` returns
 * its own result: none of them is logged again.
 */
export function logLogger(context: LogEventsContext): PackageLogging {
  const listeners: ChannelListeners<typeof loggerChannels> = {
    slowOperation: null,
    rotate: null,
    destinationError(event: LoggerDestinationErrorEvent) {
      queueMicrotask(() => {
        const lost = event.droppedLines === 0 ? '' : `; ${event.droppedLines} lines lost`;
        context.throttled(`${event.name}\u0000${event.destination}`, {
          event: 'logger.destination-error',
          fields: {
            logger: event.name,
            destination: event.destination,
            operation: event.operation,
            code: event.code,
            droppedLines: event.droppedLines,
            err: event.error,
          },
          message: `logger ${quoted(event.name)}: ${event.destination} destination failed to ${event.operation}${event.code === undefined ? '' : ` (${event.code})`}${lost}`,
        });
      });
    },
    close: null,
  };
  return { channels: loggerChannels, listeners };
}
