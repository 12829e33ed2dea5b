import type { LogLevel } from './levels.ts';

/**
 * A console destination: `stdout` (JSON lines, the default), `stderr`, or `pretty`:
 * human-readable, colourised output from `pino-pretty` in a worker thread, for
 * development (install `pino-pretty`, an optional peer dependency).
 */
export type ConsoleDestination = 'stdout' | 'stderr' | 'pretty';

/** How a file destination rotates. Every field has a default, so `rotate: {}` (or `true`) works. */
export interface RotationOptions {
  /**
   * Rotate before a line would make the file larger than this: bytes, or a size like
   * `'10m'`, `'512k'`, `'1g'` (binary units).
   * @default `'10m'` — large enough to hold hours of a busy service, small enough to open in an editor.
   */
  readonly size?: string | number;
  /**
   * Files kept in all: the active file and `count - 1` rotated ones, `<file>.1` being the
   * newest. The oldest is deleted when a rotation would exceed the count.
   * @default `5` — with the default size, at most 50 MB of logs on disk.
   */
  readonly count?: number;
  /**
   * Also start a new file when a period ends (UTC): `'daily'`, `'hourly'`, or a period in
   * milliseconds (at least 1000). An empty file is never rotated.
   * @default `undefined` — rotate by size only.
   */
  readonly frequency?: 'daily' | 'hourly' | number;
}

/** Lines appended to a file, optionally rotated. */
export interface FileDestination {
  /** Path of the active log file (relative paths resolve against the working directory). */
  readonly file: string;
  /**
   * Rotation: `true` or an object for size-based (and optionally periodic) rotation.
   * @default `false` — one ever-growing file, for when an external tool rotates it.
   */
  readonly rotate?: boolean | RotationOptions;
  /**
   * Only lines at this level or above go to this file.
   * @default every line the logger writes — its own level is usually all the filtering needed.
   */
  readonly level?: LogLevel;
  /**
   * Create the file's directory when it is missing.
   * @default `true` — a missing `logs/` directory should not crash a service at start.
   */
  readonly mkdir?: boolean;
}

/** Anything with a `write(line)` method receives each JSON line (a test buffer, a socket). */
export interface LogStream {
  /** Receives one JSON line, newline included. */
  write(line: string): unknown;
  /** Called by `closeLogger` (and `logger.flush()`) to flush buffered lines, if present. */
  flush?(callback: (error?: Error | null) => void): void;
}

/** Lines written to a stream you own: `closeLogger` flushes it but leaves it open. */
export interface StreamDestination {
  /** The stream to write to. */
  readonly stream: LogStream;
  /**
   * Only lines at this level or above go to this stream.
   * @default every line the logger writes — its own level is usually all the filtering needed.
   */
  readonly level?: LogLevel;
}

/** Where a logger writes: a console, a (rotating) file, or a stream. */
export type LogDestination = ConsoleDestination | FileDestination | StreamDestination;
