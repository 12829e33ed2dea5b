import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRampartError } from '@rampart/errors';
import { runToExit } from '@rampart/test-harness';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type LoggerCloseEvent, loggerChannels } from './channels.ts';
import { closeLogger } from './close-logger.ts';
import { createLogger } from './create-logger.ts';
import { capture } from './test-fixtures/capture.ts';

const fixture = join(import.meta.dirname, 'test-fixtures', 'close-child.ts');
const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function temporaryDirectory(): string {
  const directory = mkdtempSync(join(tmpdir(), 'rampart-logger-close-'));
  directories.push(directory);
  return directory;
}

function runChild(scenario: string, directory: string, lines: number) {
  return runToExit(
    process.execPath,
    ['--conditions=@rampart/source', fixture, scenario, directory, String(lines)],
    { timeoutMs: 20_000, env: { ...process.env, LOG_LEVEL: 'info', FORCE_COLOR: '0' } },
  );
}

/** The `index` of every JSON line, in order. */
function jsonIndexes(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => (JSON.parse(line) as { index: number }).index);
}

/** The `line N` messages of pino-pretty's output. */
function prettyIndexes(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => !line.startsWith('{'))
    .flatMap((line) => /INFO.*: line (\d+)$/.exec(line)?.slice(1) ?? [])
    .map(Number);
}

function fileIndexes(directory: string): number[] {
  const files = readdirSync(directory)
    .filter((name) => name.startsWith('app.log'))
    .sort((a, b) => rotationNumber(b) - rotationNumber(a)); // oldest first
  return files.flatMap((name) => jsonIndexes(readFileSync(join(directory, name), 'utf8')));
}

function rotationNumber(name: string): number {
  const match = /\.(\d+)$/.exec(name);
  return match === null ? 0 : Number(match[1]);
}

const every = (count: number): number[] => Array.from({ length: count }, (_, index) => index);

describe('closeLogger in a child process', () => {
  it('flushes every stdout line and the process exits on its own', async () => {
    const result = await runChild('stdout', temporaryDirectory(), 5_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(jsonIndexes(result.stdout)).toEqual(every(5_000));
    expect(result.stderr).toContain('closed {"complete":true,"pending":0,"errors":[]}');
  });

  it('flushes every stderr line', async () => {
    const result = await runChild('stderr', temporaryDirectory(), 2_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(jsonIndexes(result.stderr)).toEqual(every(2_000));
  });

  it('flushes every line of a file', async () => {
    const directory = temporaryDirectory();
    const result = await runChild('file', directory, 5_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(fileIndexes(directory)).toEqual(every(5_000));
  });

  it('flushes every line across rotations of a small file', async () => {
    const directory = temporaryDirectory();
    const result = await runChild('rotate', directory, 3_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(readdirSync(directory).length).toBeGreaterThan(10);
    expect(fileIndexes(directory)).toEqual(every(3_000));
  });

  it('flushes the pino-pretty worker thread before the process exits', async () => {
    const result = await runChild('pretty', temporaryDirectory(), 1_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(prettyIndexes(result.stdout)).toEqual(every(1_000));
  });

  it('flushes stdout, pretty and a rotating file together', async () => {
    const directory = temporaryDirectory();
    const result = await runChild('all', directory, 1_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(jsonIndexes(result.stdout)).toEqual(every(1_000));
    expect(prettyIndexes(result.stdout)).toEqual(every(1_000));
    expect(fileIndexes(directory)).toEqual(every(1_000));
  });

  it('gives up at its timeout on a destination that never flushes, and the process still exits', async () => {
    const result = await runChild('hung', temporaryDirectory(), 10);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(result.stderr).toContain('closed {"complete":false,"pending":1,"errors":[]}');
  });

  it('writes buffered file lines when the process exits without closing', async () => {
    const directory = temporaryDirectory();
    const result = await runChild('exit', directory, 2_000);
    expect(result).toMatchObject({ code: 0, timedOut: false });
    expect(fileIndexes(directory)).toEqual(every(2_000));
  });
});

describe('closeLogger', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resolves at timeoutMs, never later, when a destination does not finish', async () => {
    vi.useFakeTimers();
    const logger = createLogger({ destination: { stream: { write() {}, flush() {} } } });
    let result: unknown;
    void closeLogger(logger, { timeoutMs: 1_000 }).then((value) => {
      result = value;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(result).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(result).toEqual({ complete: false, pending: 1, errors: [] });
  });

  it('stops waiting when its signal aborts', async () => {
    const logger = createLogger({ destination: { stream: { write() {}, flush() {} } } });
    const controller = new AbortController();
    const closing = closeLogger(logger, { timeoutMs: 60_000, signal: controller.signal });
    controller.abort();
    await expect(closing).resolves.toEqual({ complete: false, pending: 1, errors: [] });
  });

  it('flushes a stream destination it does not own, and leaves it open', async () => {
    const flush = vi.fn((callback: (error?: Error | null) => void) => callback());
    const end = vi.fn();
    const logger = createLogger({ destination: { stream: { write() {}, flush, end } as never } });
    await expect(closeLogger(logger)).resolves.toEqual({ complete: true, pending: 0, errors: [] });
    expect(flush).toHaveBeenCalledTimes(1);
    expect(end).not.toHaveBeenCalled();
  });

  it('reports a flush error instead of rejecting', async () => {
    const failure = new Error('disk gone');
    const logger = createLogger({
      destination: { stream: { write() {}, flush: (callback) => callback(failure) } },
    });
    await expect(closeLogger(logger)).resolves.toEqual({
      complete: false,
      pending: 0,
      errors: [failure],
    });
  });

  it('drops lines logged after closing instead of throwing', async () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const child = logger.child({ component: 'db' });
    logger.info('before');
    await closeLogger(logger);
    expect(() => logger.info('after')).not.toThrow();
    expect(() => child.error('after')).not.toThrow();
    expect(output.records().map((record) => record.msg)).toEqual(['before']);
  });

  it('returns the same result when called again, and closing a child closes its root', async () => {
    const flush = vi.fn((callback: (error?: Error | null) => void) => callback());
    const logger = createLogger({ destination: { stream: { write() {}, flush } } });
    const child = logger.child({ component: 'db' });
    const first = closeLogger(child);
    expect(closeLogger(logger)).toBe(first);
    await first;
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('closes on await using', async () => {
    const flush = vi.fn((callback: (error?: Error | null) => void) => callback());
    {
      await using logger = createLogger({ destination: { stream: { write() {}, flush } } });
      logger.info('inside');
    }
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('only flushes a plain pino logger', async () => {
    const flush = vi.fn((callback: (error?: Error | null) => void) => callback());
    const logger = pino({}, { write() {}, flush } as never);
    await expect(closeLogger(logger)).resolves.toEqual({ complete: true, pending: 0, errors: [] });
    expect(flush).toHaveBeenCalledTimes(1);
  });

  it('publishes rampart:logger:close with the logger name', async () => {
    const events: LoggerCloseEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as LoggerCloseEvent);
    };
    subscribe(loggerChannels.close, listener);
    try {
      await closeLogger(createLogger({ name: 'api', destination: { stream: { write() {} } } }));
    } finally {
      unsubscribe(loggerChannels.close, listener);
    }
    expect(events).toEqual([
      { name: 'api', complete: true, pending: 0, durationMs: expect.any(Number) },
    ]);
  });

  it('rejects bad arguments with a ValidationError', () => {
    const logger = createLogger({ destination: { stream: { write() {} } } });
    for (const call of [
      () => closeLogger({} as never),
      () => closeLogger(logger, { timeoutMs: -1 }),
      () => closeLogger(logger, { signal: 'soon' as never }),
    ]) {
      let caught: unknown;
      try {
        void call();
      } catch (error) {
        caught = error;
      }
      expect(isRampartError(caught, 'E_VALIDATION')).toBe(true);
    }
  });
});
