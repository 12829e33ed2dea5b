import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRampartError } from '@rampart/errors';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { closeLogger } from './close-logger.ts';
import { createLogger, type LoggerOptions } from './create-logger.ts';
import { capture } from './test-fixtures/capture.ts';

const directory = mkdtempSync(join(tmpdir(), 'rampart-logger-create-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));
afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('node:module');
  vi.resetModules();
});

function configurationError(options: unknown): Error & { issues?: unknown } {
  try {
    createLogger(options as LoggerOptions);
  } catch (error) {
    expect(isRampartError(error, 'E_CONFIG')).toBe(true);
    return error as Error;
  }
  throw new Error('expected a ConfigurationError');
}

describe('createLogger', () => {
  it('writes JSON lines with ISO timestamps from the clock, pid and hostname', () => {
    const output = capture();
    const logger = createLogger({
      destination: { stream: output.stream },
      clock: { now: () => Date.UTC(2026, 0, 31, 12, 34, 56, 7) },
    });
    logger.info('hello world');
    expect(output.lines[0]).toMatch(
      /^\{"level":30,"time":"2026-01-31T12:34:56\.007Z","pid":\d+,"hostname":"[^"]+","msg":"hello world"\}\n$/,
    );
  });

  it('writes name and custom base fields, or no base at all with null', () => {
    const named = capture();
    createLogger({
      name: 'api',
      base: { region: 'eu' },
      destination: { stream: named.stream },
    }).info('x');
    expect(named.last()).toMatchObject({ name: 'api', region: 'eu' });
    expect(named.last()).not.toHaveProperty('pid');
    const bare = capture();
    createLogger({ base: null, destination: { stream: bare.stream } }).info('x');
    expect(Object.keys(bare.last())).toEqual(['level', 'time', 'msg']);
  });

  it('uses LOG_LEVEL when no level is given, info otherwise, and an explicit level first', () => {
    const levelOf = (options: LoggerOptions = {}) =>
      createLogger({ destination: { stream: { write() {} } }, ...options }).level;
    expect(levelOf()).toBe('info');
    vi.stubEnv('LOG_LEVEL', 'DEBUG');
    expect(levelOf()).toBe('debug');
    expect(levelOf({ level: 'warn' })).toBe('warn');
  });

  it('rejects a LOG_LEVEL that is not a level, naming the variable', () => {
    vi.stubEnv('LOG_LEVEL', 'verbose');
    expect(configurationError({ destination: { stream: { write() {} } } }).message).toBe(
      'createLogger: the LOG_LEVEL environment variable must be one of fatal, error, warn, info, debug, trace or silent (got "verbose")',
    );
  });

  it.each([
    [{ level: 'loud' }, '`level` must be one of fatal, error, warn, info, debug, trace or silent'],
    [{ levle: 'info' }, '`levle` is not a known option'],
    [{ name: '' }, '`name` must be a non-empty string'],
    [{ destination: 'console' }, "`destination` must be 'stdout', 'stderr' or 'pretty'"],
    [{ destination: [] }, '`destination` must not be empty'],
    [{ destination: 42 }, "`destination` must be 'stdout', 'stderr', 'pretty', a { file } object"],
    [
      { destination: { stream: {} } },
      '`destination.stream` must be an object with a write(line) method',
    ],
    [{ destination: { file: '' } }, '`destination.file` must be a file path'],
    [{ destination: { file: 'a.log', rotate: 'yes' } }, '`destination.rotate` must be true, false'],
    [
      { destination: { file: 'a.log', rotate: { frequency: 500 } } },
      '`destination.rotate.frequency` must be at least 1000',
    ],
    [
      { destination: ['stdout', { file: 'a.log', rotate: { count: 0 } }] },
      '`destination[1].rotate.count` must be a positive integer (got 0)',
    ],
    [
      { destination: { file: 'a.log', rotate: { size: '10 parsecs' } } },
      "`destination.rotate.size` must be a size like '10m', '512k' or '1g', or a number of bytes",
    ],
    [
      { destination: { file: 'a.log', rotate: { frequency: 'weekly' } } },
      "`destination.rotate.frequency` must be 'daily', 'hourly' or a period of at least 1000 ms",
    ],
    [{ destination: { file: 'a.log', level: 'loud' } }, '`destination.level` must be one of'],
    [{ redact: ['user..email'] }, '`redact[0]` must be a key or a pino redaction path'],
    [{ serializers: { user: 'json' } }, '`serializers.user` must be a function'],
    [{ clock: Date.now }, '`clock` must be an object with a now() method'],
    [{ base: 'pid' }, '`base` must be an object or null'],
  ])('rejects %j with a ConfigurationError naming the field', (options, message) => {
    expect(configurationError(options).message).toContain(message);
  });

  it('names every bad field at once', () => {
    const error = configurationError({ level: 'loud', name: 3, destination: 'console' });
    for (const field of ['`name`', '`level`', '`destination`'])
      expect(error.message).toContain(field);
    expect(error.issues).toHaveLength(3);
  });

  it('writes to every destination whose level a line reaches', () => {
    const everything = capture();
    const problems = capture();
    const logger = createLogger({
      level: 'debug',
      destination: [{ stream: everything.stream }, { stream: problems.stream, level: 'warn' }],
    });
    logger.debug('debug');
    logger.warn('warn');
    logger.child({ component: 'db' }).error('error');
    expect(everything.records().map((record) => record.msg)).toEqual(['debug', 'warn', 'error']);
    expect(problems.records().map((record) => record.msg)).toEqual(['warn', 'error']);
  });

  it('keeps writing to the other destinations when one throws', () => {
    const healthy = capture();
    const logger = createLogger({
      destination: [
        {
          stream: {
            write() {
              throw new Error('broken pipe');
            },
          },
        },
        { stream: healthy.stream },
      ],
    });
    expect(() => logger.info('still here')).not.toThrow();
    expect(healthy.last().msg).toBe('still here');
  });

  it('appends to a file, creating its directory', async () => {
    const file = join(directory, 'logs', 'app.log');
    const logger = createLogger({ destination: { file } });
    logger.info('to the file');
    await closeLogger(logger);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ msg: 'to the file' });
  });

  it('fails with a ConfigurationError when the log file cannot be opened', () => {
    const blocker = join(directory, 'not-a-directory');
    createLogger({ destination: { file: blocker } });
    expect(
      configurationError({ destination: { file: join(blocker, 'app.log') } }).message,
    ).toContain(`cannot open the log file ${join(blocker, 'app.log')}`);
  });

  it("explains that 'pretty' needs pino-pretty when it is not installed", async () => {
    vi.doMock('node:module', async (importOriginal) => {
      const original = await importOriginal<typeof import('node:module')>();
      return {
        ...original,
        createRequire: () =>
          Object.assign(
            () => {
              throw new Error('not found');
            },
            {
              resolve: () => {
                throw Object.assign(new Error("Cannot find module 'pino-pretty'"), {
                  code: 'MODULE_NOT_FOUND',
                });
              },
            },
          ),
      };
    });
    const fresh = await import('./create-logger.ts');
    expect(() => fresh.createLogger({ destination: 'pretty' })).toThrow(
      /'pretty' needs pino-pretty, an optional peer dependency/,
    );
  });

  it('applies custom serializers over the built-in ones', () => {
    const output = capture();
    const logger = createLogger({
      destination: { stream: output.stream },
      serializers: { user: (user) => ({ id: (user as { id: number }).id }) },
    });
    logger.info({ user: { id: 1, name: 'Ada', email: 'ada@example.test' } }, 'serialized');
    expect(output.last().user).toEqual({ id: 1 });
  });

  it('gives child loggers the same redaction, serializers and context', async () => {
    const { withLogContext } = await import('./log-context.ts');
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream }, redact: ['ssn'] });
    const child = logger.child({ component: 'billing' });
    child.setBindings({ ssn: '123-45-6789' });
    withLogContext({ requestId: 'r-1' }, () => child.info({ err: new Error('x') }, 'child'));
    expect(output.last()).toMatchObject({
      requestId: 'r-1',
      component: 'billing',
      ssn: '[Redacted]',
      err: { type: 'Error', message: 'x' },
    });
  });
});
