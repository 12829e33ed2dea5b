import { createRequire } from 'node:module';
import type { Clock } from '@rampart/errors';
import { ConfigurationError } from '@rampart/errors';
import pino from 'pino';
import { publishDestinationError } from '../channels.ts';
import type { LogStream } from '../destinations.ts';
import { LEVEL_VALUES } from '../levels.ts';
import type { ParsedDestination } from './destination-schema.ts';
import { createFileStream } from './file-stream.ts';

/** An open destination and how to shut it down. */
export interface ManagedDestination {
  readonly kind: ParsedDestination['kind'];
  /** What pino (or the fan-out) writes lines into. */
  readonly stream: LogStream;
  /** Lowest level number this destination takes (0: every line). */
  readonly minimumLevel: number;
  /** Flushes what is buffered and releases the destination; rejects on a flush error. */
  close(): Promise<void>;
  /** Called when `close` ran out of time: let the process exit anyway. */
  abandon(): void;
}

interface OpenContext {
  readonly name: string;
  readonly clock: Clock;
}

type SonicBoom = ReturnType<typeof pino.destination>;
/** The members of thread-stream's `ThreadStream` used here that its type declarations omit. */
type ThreadStream = ReturnType<typeof pino.transport> & {
  readonly closed?: boolean;
  unref(): void;
};

function endSonicBoom(stream: SonicBoom): Promise<void> {
  return new Promise((resolve, reject) => {
    if ((stream as { destroyed?: boolean }).destroyed === true) {
      resolve();
      return;
    }
    stream.once('close', () => resolve());
    stream.once('error', reject);
    try {
      stream.end();
    } catch (error) {
      reject(error);
    }
  });
}

function openConsole(kind: 'stdout' | 'stderr', context: OpenContext): ManagedDestination {
  const stream = pino.destination({ dest: kind === 'stdout' ? 1 : 2, sync: false });
  stream.on('error', (error: unknown) => {
    publishDestinationError({
      name: context.name,
      destination: kind,
      operation: 'write',
      error,
      droppedLines: 0,
    });
  });
  return {
    kind,
    stream,
    minimumLevel: 0,
    close: () => endSonicBoom(stream),
    abandon: () => {},
  };
}

function resolvePinoPretty(): string {
  try {
    return createRequire(import.meta.url).resolve('pino-pretty');
  } catch (cause) {
    throw new ConfigurationError(
      "createLogger: `destination` 'pretty' needs pino-pretty, an optional peer dependency: install it (pnpm add -D pino-pretty)",
      { cause },
    );
  }
}

function openPretty(context: OpenContext): ManagedDestination {
  const stream = pino.transport({
    target: resolvePinoPretty(),
    options: {
      destination: 1,
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname',
    },
  }) as ThreadStream;
  stream.on('error', (error: unknown) => {
    publishDestinationError({
      name: context.name,
      destination: 'pretty',
      operation: 'write',
      error,
      droppedLines: 0,
    });
  });
  return {
    kind: 'pretty',
    stream,
    minimumLevel: 0,
    close: () =>
      new Promise((resolve) => {
        if (stream.closed === true) {
          resolve();
          return;
        }
        stream.once('close', () => resolve());
        stream.end();
      }),
    // The worker only holds the process while it starts; make sure it cannot hold it at all.
    abandon: () => stream.unref(),
  };
}

/** Flushes a stream the user owns, without ending it. */
function flushUserStream(stream: LogStream): Promise<void> {
  if (typeof stream.flush === 'function') {
    const flush = stream.flush.bind(stream);
    return new Promise((resolve, reject) => {
      flush((error) => (error ? reject(error) : resolve()));
    });
  }
  const writable = stream as Partial<NodeJS.WritableStream> & { writableLength?: unknown };
  if (
    typeof writable.writableLength === 'number' &&
    writable.writableLength > 0 &&
    typeof writable.once === 'function'
  ) {
    const once = writable.once.bind(writable);
    return new Promise((resolve, reject) => {
      once('drain', () => resolve());
      once('close', () => resolve());
      once('error', (error: unknown) => reject(error));
    });
  }
  return Promise.resolve();
}

function levelNumber(level: ParsedDestination['level']): number {
  return level === undefined ? 0 : LEVEL_VALUES[level];
}

function openOne(destination: ParsedDestination, context: OpenContext): ManagedDestination {
  switch (destination.kind) {
    case 'stdout':
    case 'stderr':
      return openConsole(destination.kind, context);
    case 'pretty':
      return openPretty(context);
    case 'file': {
      let stream: ReturnType<typeof createFileStream>;
      try {
        stream = createFileStream({
          file: destination.file,
          mkdir: destination.mkdir,
          rotation: destination.rotation,
          clock: context.clock,
          name: context.name,
        });
      } catch (cause) {
        const message = cause instanceof Error ? cause.message : String(cause);
        throw new ConfigurationError(
          `createLogger: cannot open the log file ${destination.file}: ${message}`,
          { cause },
        );
      }
      return {
        kind: 'file',
        stream,
        minimumLevel: levelNumber(destination.level),
        close: () => stream.close(),
        abandon: () => {},
      };
    }
    case 'stream':
      return {
        kind: 'stream',
        stream: destination.stream,
        minimumLevel: levelNumber(destination.level),
        close: () => flushUserStream(destination.stream),
        abandon: () => {},
      };
  }
}

/**
 * Opens every destination, or none: when one fails to open, those already open are
 * closed again before the error is thrown.
 */
export function openDestinations(
  destinations: readonly ParsedDestination[],
  context: OpenContext,
): ManagedDestination[] {
  const opened: ManagedDestination[] = [];
  try {
    for (const destination of destinations) opened.push(openOne(destination, context));
  } catch (error) {
    for (const destination of opened) {
      destination.close().catch(() => {});
      destination.abandon();
    }
    throw error;
  }
  return opened;
}
