import pino from 'pino';
import { publishDestinationError } from '../channels.ts';
import type { LogStream } from '../destinations.ts';
import type { ManagedDestination } from './open-destinations.ts';

/** What pino writes into when there is more than one destination or a per-destination level. */
interface FanOutStream extends LogStream {
  /** Set by pino before each write, because the stream asks for metadata. */
  lastLevel: number;
}

/**
 * The one stream pino writes into. A single destination without its own level is used as
 * is (no indirection on the hot path); otherwise each line goes to every destination whose
 * level it reaches, and a destination that throws never keeps a line from the others.
 */
export function combineDestinations(
  destinations: readonly ManagedDestination[],
  name: string,
): LogStream {
  const [only] = destinations;
  if (destinations.length === 1 && only !== undefined && only.minimumLevel === 0) {
    return only.stream;
  }
  const fanOut: FanOutStream = {
    lastLevel: 0,
    write(line) {
      const level = fanOut.lastLevel;
      for (const destination of destinations) {
        if (level < destination.minimumLevel) continue;
        try {
          destination.stream.write(line);
        } catch (error) {
          publishDestinationError({
            name,
            destination: destination.kind,
            operation: 'write',
            error,
            droppedLines: 1,
          });
        }
      }
    },
    flush(callback) {
      let waiting = 1;
      let failure: Error | undefined;
      const done = (error?: Error | null): void => {
        if (error) failure ??= error;
        waiting -= 1;
        if (waiting === 0) callback(failure);
      };
      for (const destination of destinations) {
        if (typeof destination.stream.flush !== 'function') continue;
        waiting += 1;
        destination.stream.flush(done);
      }
      done();
    },
  };
  Object.defineProperty(fanOut, pino.symbols.needsMetadataGsym, { value: true });
  return fanOut;
}
