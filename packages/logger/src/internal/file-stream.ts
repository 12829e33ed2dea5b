import {
  closeSync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Clock } from '@rampart/errors';
import { MAX_TIMER_DELAY_MS } from '@rampart/errors';
import { publishDestinationError, publishRotate } from '../channels.ts';
import { flushOnExit, stopFlushOnExit } from './exit-flush.ts';
import { nextPeriodStart, periodStart, type RotationFrequency } from './rotation-period.ts';

/** When a file rotates and how many files are kept. */
export interface FileRotation {
  /** Rotate before a line would make the active file larger than this. */
  readonly sizeBytes: number;
  /** Files kept in all: the active one and `count - 1` rotated ones (`<file>.1` is the newest). */
  readonly count: number;
  /** Also rotate when this period ends (UTC), if the file is not empty. */
  readonly frequency: RotationFrequency | undefined;
}

export interface FileStreamOptions {
  readonly file: string;
  readonly mkdir: boolean;
  readonly rotation: FileRotation | undefined;
  readonly clock: Clock;
  /** The logger's name, for events. */
  readonly name: string;
}

/** A pino destination writing to a file, optionally rotating it. */
export interface FileStream {
  readonly file: string;
  write(line: string): boolean;
  flush(callback?: (error?: Error) => void): void;
  flushSync(): void;
  /** Writes what is buffered and closes the file; rejects with the first error met doing so. */
  close(): Promise<void>;
}

/** Buffered characters that make a write drain at once instead of at the next turn of the loop. */
const EAGER_DRAIN_CHARS = 64 * 1024;
/** How long to wait before retrying a rotation that failed (a locked or read-only directory). */
const ROTATION_RETRY_MS = 1_000;
const MAX_TIMER_MS = MAX_TIMER_DELAY_MS;

/**
 * Lines written in one turn of the event loop are joined and written with one synchronous
 * `write(2)` at the next turn (or at once past 64 KiB). Rotation happens between batches, at
 * line boundaries, with the lines still in memory: the active file is renamed to `<file>.1`
 * (older files shift up, the oldest falls off), a new file is opened and only then the old
 * descriptor is closed. When a rename or open fails the stream keeps writing to the file it
 * has, so no line is ever dropped by a rotation; only a failing write can lose its batch,
 * and that is published on `rampart:logger:destination-error`.
 */
export function createFileStream(options: FileStreamOptions): FileStream {
  const { file, rotation, clock, name } = options;
  if (options.mkdir) mkdirSync(dirname(file), { recursive: true });
  let fd = openSync(file, 'a');
  let size = fstatSync(fd).size;
  let pending: string[] = [];
  let pendingChars = 0;
  let scheduled = false;
  let closed = false;
  let rotationRetryAt = Number.NEGATIVE_INFINITY;
  let warned = false;
  let timer: NodeJS.Timeout | undefined;
  let periodEnd = Number.POSITIVE_INFINITY;
  // Highest `<file>.N` that may exist: renames start there instead of at `count - 1`.
  let highestRotated = rotation === undefined ? 0 : highestRotatedIndex(file, rotation.count);

  const fail = (operation: 'write' | 'rotate' | 'open' | 'close', error: unknown, dropped = 0) => {
    publishDestinationError({ name, destination: 'file', operation, error, droppedLines: dropped });
    if (!warned) {
      warned = true;
      const message = error instanceof Error ? error.message : String(error);
      process.emitWarning(`@rampart/logger: cannot ${operation} ${file}: ${message}`, {
        code: 'RAMPART_LOGGER_FILE_FAILED',
      });
    }
  };

  const writeBatch = (text: string, bytes: number, lines: number): unknown => {
    if (lines === 0) return undefined;
    try {
      let written = writeSync(fd, text);
      if (written < bytes) {
        const buffer = Buffer.from(text);
        while (written < buffer.length) written += writeSync(fd, buffer, written);
      }
      size += bytes;
      warned = false;
      return undefined;
    } catch (error) {
      fail('write', error, lines);
      return error;
    }
  };

  const rotate = (reason: 'size' | 'frequency'): void => {
    if (rotation === undefined) return;
    const bytes = size;
    if (rotation.count === 1) {
      try {
        ftruncateSync(fd, 0);
        size = 0;
      } catch (error) {
        rotationRetryAt = clock.now() + ROTATION_RETRY_MS;
        fail('rotate', error);
        return;
      }
      publishRotate({ name, file, reason, bytes });
      return;
    }
    try {
      const top = Math.min(highestRotated + 1, rotation.count - 1);
      for (let index = top; index >= 2; index--) {
        renameIfExists(`${file}.${index - 1}`, `${file}.${index}`);
      }
      renameSync(file, `${file}.1`);
      highestRotated = top;
    } catch (error) {
      rotationRetryAt = clock.now() + ROTATION_RETRY_MS;
      fail('rotate', error);
      return;
    }
    let next: number;
    try {
      next = openSync(file, 'a');
    } catch (error) {
      // Keep writing through the old descriptor (now `<file>.1`): nothing is lost.
      rotationRetryAt = clock.now() + ROTATION_RETRY_MS;
      fail('open', error);
      return;
    }
    const previous = fd;
    fd = next;
    size = 0;
    try {
      closeSync(previous);
    } catch (error) {
      fail('close', error);
    }
    publishRotate({ name, file, reason, bytes });
  };

  const mayRotate = (): boolean =>
    rotationRetryAt === Number.NEGATIVE_INFINITY || clock.now() >= rotationRetryAt;

  /** Writes every buffered line; returns the first write error met, if any. */
  const drain = (): unknown => {
    if (pending.length === 0) return undefined;
    const lines = pending;
    pending = [];
    pendingChars = 0;
    let firstError: unknown;
    let batch = '';
    let batchBytes = 0;
    let batchLines = 0;
    for (const line of lines) {
      const bytes = Buffer.byteLength(line);
      if (
        rotation !== undefined &&
        size + batchBytes > 0 &&
        size + batchBytes + bytes > rotation.sizeBytes &&
        mayRotate()
      ) {
        firstError ??= writeBatch(batch, batchBytes, batchLines);
        batch = '';
        batchBytes = 0;
        batchLines = 0;
        rotate('size');
      }
      batch += line;
      batchBytes += bytes;
      batchLines += 1;
    }
    firstError ??= writeBatch(batch, batchBytes, batchLines);
    return firstError;
  };

  const drainLater = (): void => {
    scheduled = false;
    if (!closed) drain();
  };

  const scheduleFrequency = (): void => {
    if (rotation?.frequency === undefined || closed) return;
    const now = clock.now();
    periodEnd = nextPeriodStart(rotation.frequency, now);
    timer = setTimeout(onTimer, Math.min(Math.max(periodEnd - now, 0), MAX_TIMER_MS));
    timer.unref();
  };

  const onTimer = (): void => {
    timer = undefined;
    if (closed) return;
    if (clock.now() >= periodEnd) {
      drain();
      if (size > 0 && mayRotate()) rotate('frequency');
      scheduleFrequency();
      return;
    }
    // A capped timer (periods over ~24.8 days) or a clock running behind the timers.
    const delay = Math.min(Math.max(periodEnd - clock.now(), 1), MAX_TIMER_MS);
    timer = setTimeout(onTimer, delay);
    timer.unref();
  };

  const stream: FileStream = {
    file,
    write(line) {
      if (closed) return false;
      pending.push(line);
      pendingChars += line.length;
      if (pendingChars >= EAGER_DRAIN_CHARS) {
        drain();
      } else if (!scheduled) {
        scheduled = true;
        setImmediate(drainLater);
      }
      return true;
    },
    flush(callback) {
      const error = closed ? undefined : drain();
      if (callback !== undefined) {
        process.nextTick(callback, error instanceof Error ? error : undefined);
      }
    },
    flushSync() {
      if (!closed) drain();
    },
    close() {
      if (closed) return Promise.resolve();
      const error = drain();
      closed = true;
      clearTimeout(timer);
      stopFlushOnExit(stream);
      try {
        closeSync(fd);
      } catch (closeError) {
        fail('close', closeError);
        return Promise.reject(closeError);
      }
      return error === undefined ? Promise.resolve() : Promise.reject(error);
    },
  };

  if (rotation?.frequency !== undefined) {
    // A file left over from an earlier period starts a fresh one at once.
    const modified = fstatSync(fd).mtimeMs;
    if (size > 0 && modified < periodStart(rotation.frequency, clock.now())) rotate('frequency');
    scheduleFrequency();
  }
  flushOnExit(stream);
  return stream;
}

/** The highest `<file>.N` present (N below `count`), read once when the stream opens. */
function highestRotatedIndex(file: string, count: number): number {
  const prefix = `${basename(file)}.`;
  let highest = 0;
  try {
    for (const name of readdirSync(dirname(file))) {
      if (!name.startsWith(prefix)) continue;
      const index = Number(name.slice(prefix.length));
      if (Number.isInteger(index) && index > highest && index < count) highest = index;
    }
  } catch {
    return count - 1; // unreadable directory: fall back to trying every index
  }
  return highest;
}

function renameIfExists(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
