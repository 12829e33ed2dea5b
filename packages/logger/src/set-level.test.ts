import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import pino, { type Logger as PinoLogger } from 'pino';
import { describe, expect, it } from 'vitest';
import { createLogger } from './create-logger.ts';
import type { LogLevel } from './levels.ts';
import { setLevel } from './set-level.ts';
import { capture } from './test-fixtures/capture.ts';

const LEVELS: readonly Exclude<LogLevel, 'silent'>[] = [
  'fatal',
  'error',
  'warn',
  'info',
  'debug',
  'trace',
];

describe('setLevel', () => {
  it('reaches children, grandchildren and children that had their own level', () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream }, level: 'info' });
    const inheriting = logger.child({ component: 'http' });
    const ownLevel = logger.child({ component: 'db' }, { level: 'error' });
    const grandchild = ownLevel.child({ table: 'users' });
    const changedLater = logger.child({ component: 'cache' });
    changedLater.level = 'fatal';

    setLevel(logger, 'debug');
    for (const child of [logger, inheriting, ownLevel, grandchild, changedLater]) {
      expect(child.level).toBe('debug');
      child.debug('visible');
    }
    expect(output.lines).toHaveLength(5);
  });

  it('changes only the given logger and its descendants, not its parent or siblings', () => {
    const logger = createLogger({ destination: { stream: { write() {} } }, level: 'info' });
    const target = logger.child({ component: 'a' }, { level: 'info' });
    const sibling = logger.child({ component: 'b' }, { level: 'info' });
    const descendant = target.child({ part: 'x' }, { level: 'warn' });
    setLevel(target, 'trace');
    expect([logger.level, target.level, sibling.level, descendant.level]).toEqual([
      'info',
      'trace',
      'info',
      'trace',
    ]);
  });

  it('keeps inheriting children inheriting', () => {
    const logger = createLogger({ destination: { stream: { write() {} } }, level: 'info' });
    const child = logger.child({ component: 'http' });
    setLevel(logger, 'warn');
    logger.level = 'debug'; // a plain pino change still reaches a child that never had its own level
    expect(child.level).toBe('debug');
  });

  it('silences every descendant with silent', () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    const child = logger.child({ a: 1 }, { level: 'trace' });
    setLevel(logger, 'silent');
    logger.fatal('hidden');
    child.fatal('hidden');
    expect(output.lines).toHaveLength(0);
  });

  it('reaches every logger of any tree of children', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            parent: fc.nat(),
            level: fc.option(fc.constantFrom(...LEVELS), { nil: undefined }),
          }),
          { maxLength: 30 },
        ),
        fc.constantFrom(...LEVELS),
        (shape, target) => {
          const root = createLogger({ destination: { stream: { write() {} } } });
          const all: PinoLogger[] = [root];
          for (const [index, { parent, level }] of shape.entries()) {
            const from = all[parent % all.length] ?? root;
            all.push(from.child({ index }, level === undefined ? undefined : { level }));
          }
          setLevel(root, target);
          for (const logger of all) expect(logger.level).toBe(target);
        },
      ),
    );
  });

  it('also works on plain pino loggers (own children are not tracked there)', () => {
    const logger = pino({}, { write() {} });
    const child = logger.child({ a: 1 });
    setLevel(logger, 'error');
    expect(child.level).toBe('error');
  });

  it('rejects an unknown level with a ValidationError', () => {
    const logger = createLogger({ destination: { stream: { write() {} } } });
    let caught: unknown;
    try {
      setLevel(logger, 'verbose' as LogLevel);
    } catch (error) {
      caught = error;
    }
    expect(isRampartError(caught, 'E_VALIDATION')).toBe(true);
    expect((caught as Error).message).toBe(
      'setLevel: `level` must be one of fatal, error, warn, info, debug, trace or silent (got "verbose")',
    );
    expect(() => setLevel({} as never, 'info')).toThrow(/must be a pino logger/);
  });
});
