import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import {
  type LoggerDestinationErrorEvent,
  type LoggerRotateEvent,
  loggerChannels,
} from '../channels.ts';
import { createFileStream, type FileRotation, type FileStream } from './file-stream.ts';

const root = mkdtempSync(join(tmpdir(), 'rampart-logger-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let next = 0;
const open: FileStream[] = [];

function directory(): string {
  const path = join(root, String(next++));
  mkdirSync(path);
  return path;
}

function stream(
  file: string,
  rotation: Partial<FileRotation> | undefined,
  clock = Date,
): FileStream {
  const created = createFileStream({
    file,
    mkdir: true,
    rotation:
      rotation === undefined
        ? undefined
        : { sizeBytes: 1024, count: 5, frequency: undefined, ...rotation },
    clock,
    name: 'test',
  });
  open.push(created);
  return created;
}

afterEach(async () => {
  vi.useRealTimers();
  await Promise.allSettled(open.splice(0).map((created) => created.close()));
});

/** Files of a rotating log, oldest first. */
function logFiles(directoryPath: string): string[] {
  const number = (name: string): number => Number(/\.(\d+)$/.exec(name)?.[1] ?? 0);
  return readdirSync(directoryPath)
    .filter((name) => name.startsWith('app.log'))
    .sort((a, b) => number(b) - number(a));
}

function linesIn(directoryPath: string): string[] {
  return logFiles(directoryPath).flatMap((name) =>
    readFileSync(join(directoryPath, name), 'utf8').split('\n').filter(Boolean),
  );
}

function events<T>(name: string): { list: T[]; stop(): void } {
  const list: T[] = [];
  const listener = (message: unknown): void => {
    list.push(message as T);
  };
  subscribe(name, listener);
  return { list, stop: () => unsubscribe(name, listener) };
}

describe('file stream', () => {
  it('appends lines, batched until the next turn of the event loop', async () => {
    const path = join(directory(), 'app.log');
    const file = stream(path, undefined);
    file.write('one\n');
    file.write('two\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((resolve) => setImmediate(resolve));
    expect(readFileSync(path, 'utf8')).toBe('one\ntwo\n');
  });

  it('creates missing directories and keeps what the file already holds', async () => {
    const path = join(directory(), 'nested', 'deeper', 'app.log');
    const first = stream(path, undefined);
    first.write('before restart\n');
    await first.close();
    const second = stream(path, undefined);
    second.write('after restart\n');
    second.flushSync();
    expect(readFileSync(path, 'utf8')).toBe('before restart\nafter restart\n');
  });

  it('rotates before a line would pass the size, keeping at most count files', async () => {
    const folder = directory();
    const file = stream(join(folder, 'app.log'), { sizeBytes: 100, count: 3 });
    const rotations = events<LoggerRotateEvent>(loggerChannels.rotate);
    try {
      for (let index = 0; index < 40; index++)
        file.write(`line ${String(index).padStart(3, '0')}\n`);
      await file.close();
    } finally {
      rotations.stop();
    }
    expect(logFiles(folder)).toEqual(['app.log.2', 'app.log.1', 'app.log']);
    for (const name of logFiles(folder)) {
      expect(statSync(join(folder, name)).size).toBeLessThanOrEqual(100);
    }
    // 40 lines of 9 bytes, 11 per file: the newest 3 files hold the last 7 + 11 + 11 lines.
    expect(linesIn(folder)).toEqual(
      Array.from({ length: 29 }, (_, index) => `line ${String(index + 11).padStart(3, '0')}`),
    );
    expect(rotations.list[0]).toEqual({
      name: 'test',
      file: join(folder, 'app.log'),
      reason: 'size',
      bytes: 99,
    });
  });

  it('never loses or reorders a line across rotations', async () => {
    const folder = directory();
    const file = stream(join(folder, 'app.log'), { sizeBytes: 2_048, count: 1_000 });
    const expected: string[] = [];
    for (let index = 0; index < 2_000; index++) {
      const line = `{"index":${index},"padding":"${'x'.repeat(index % 50)}"}`;
      expected.push(line);
      file.write(`${line}\n`);
      if (index % 97 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await file.close();
    expect(linesIn(folder)).toEqual(expected);
  });

  it('writes a line larger than the size alone in its file', async () => {
    const folder = directory();
    const file = stream(join(folder, 'app.log'), { sizeBytes: 10, count: 10 });
    file.write('short\n');
    file.write(`${'y'.repeat(30)}\n`);
    file.write('tail\n');
    await file.close();
    expect(logFiles(folder).map((name) => readFileSync(join(folder, name), 'utf8'))).toEqual([
      'short\n',
      `${'y'.repeat(30)}\n`,
      'tail\n',
    ]);
  });

  it('with count 1 starts the file over instead of keeping rotated files', async () => {
    const folder = directory();
    const file = stream(join(folder, 'app.log'), { sizeBytes: 20, count: 1 });
    for (const word of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) file.write(`${word}\n`);
    await file.close();
    expect(logFiles(folder)).toEqual(['app.log']);
    expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe('delta\necho\n');
  });

  it('rotates when the period ends, and not while the file is empty', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 31, 22, 59, 0) });
    const folder = directory();
    const file = stream(join(folder, 'app.log'), {
      sizeBytes: 1_000_000,
      count: 5,
      frequency: 'hourly',
    });
    file.write('in the 22:00 hour\n');
    await vi.advanceTimersByTimeAsync(60_000);
    file.write('in the 23:00 hour\n');
    await vi.advanceTimersByTimeAsync(3_600_000);
    await vi.advanceTimersByTimeAsync(3_600_000); // the file is empty now: no rotation
    await file.close();
    expect(logFiles(folder)).toEqual(['app.log.2', 'app.log.1', 'app.log']);
    expect(linesIn(folder)).toEqual(['in the 22:00 hour', 'in the 23:00 hour']);
    expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe('');
  });

  it('rotates daily at UTC midnight', async () => {
    vi.useFakeTimers({ now: Date.UTC(2026, 0, 31, 23, 0, 0) });
    const folder = directory();
    const file = stream(join(folder, 'app.log'), { sizeBytes: 1_000_000, frequency: 'daily' });
    file.write('saturday\n');
    await vi.advanceTimersByTimeAsync(3_599_999);
    expect(logFiles(folder)).toEqual(['app.log']);
    await vi.advanceTimersByTimeAsync(1);
    file.write('sunday\n');
    await file.close();
    expect(readFileSync(join(folder, 'app.log.1'), 'utf8')).toBe('saturday\n');
    expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe('sunday\n');
  });

  it('starts a new file at once when the existing one is from an earlier period', async () => {
    const folder = directory();
    const path = join(folder, 'app.log');
    writeFileSync(path, 'yesterday\n');
    const yesterday = new Date(Date.now() - 86_400_000 * 2);
    utimesSync(path, yesterday, yesterday);
    const file = stream(path, { sizeBytes: 1_000_000, frequency: 'daily' });
    file.write('today\n');
    await file.close();
    expect(readFileSync(join(folder, 'app.log.1'), 'utf8')).toBe('yesterday\n');
    expect(readFileSync(path, 'utf8')).toBe('today\n');
  });

  it('keeps writing to the current file when a rotation fails, and reports it', async () => {
    const folder = directory();
    // A non-empty directory where the rotated file should go makes the rename fail.
    mkdirSync(join(folder, 'app.log.1'));
    writeFileSync(join(folder, 'app.log.1', 'blocker'), '');
    const failures = events<LoggerDestinationErrorEvent>(loggerChannels.destinationError);
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const file = stream(join(folder, 'app.log'), { sizeBytes: 10, count: 2 });
    try {
      for (let index = 0; index < 5; index++) file.write(`line ${index}\n`);
      await file.close();
    } finally {
      failures.stop();
    }
    expect(readFileSync(join(folder, 'app.log'), 'utf8')).toBe(
      'line 0\nline 1\nline 2\nline 3\nline 4\n',
    );
    expect(failures.list[0]).toMatchObject({
      name: 'test',
      destination: 'file',
      operation: 'rotate',
      droppedLines: 0,
    });
    expect(warning).toHaveBeenCalledTimes(1);
  });

  it('flushes on demand and stops writing once closed', async () => {
    const path = join(directory(), 'app.log');
    const file = stream(path, undefined);
    file.write('flushed\n');
    await new Promise<void>((resolve) => file.flush(() => resolve()));
    expect(readFileSync(path, 'utf8')).toBe('flushed\n');
    await file.close();
    expect(file.write('late\n')).toBe(false);
    await file.close();
    expect(readFileSync(path, 'utf8')).toBe('flushed\n');
    expect(existsSync(`${path}.1`)).toBe(false);
  });

  it('keeps every file within size, at most count files, and the newest lines in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 16, max: 400 }),
        fc.integer({ min: 1, max: 6 }),
        (lengths, sizeBytes, count) => {
          const folder = directory();
          const file = stream(join(folder, 'app.log'), { sizeBytes, count });
          const written = lengths.map((length, index) => `${index}:${'é'.repeat(length)}`);
          for (const line of written) file.write(`${line}\n`);
          file.flushSync();
          const files = logFiles(folder);
          expect(files.length).toBeLessThanOrEqual(count);
          for (const name of files) {
            const content = readFileSync(join(folder, name));
            const lines = content.toString('utf8').split('\n').filter(Boolean);
            // Over the size only when one line alone is larger.
            if (content.length > sizeBytes) expect(lines).toHaveLength(1);
          }
          const kept = linesIn(folder);
          expect(kept).toEqual(written.slice(written.length - kept.length));
          if (count >= written.length) expect(kept).toEqual(written);
        },
      ),
      { numRuns: 60 },
    );
  });
});
