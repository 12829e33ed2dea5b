import { invalidArgument } from '@rampart/errors';
import pino, { type Logger as PinoLogger } from 'pino';
import { childrenOf } from './internal/logger-state.ts';
import { isLogLevel, LEVEL_EXPECTATION, type LogLevel } from './levels.ts';

/**
 * Changes a logger's level at run time, and that of every child created from it (and
 * their children), including children given their own level. In plain pino, a child that
 * was created with a level, or had its level set, stops following its parent; with
 * `setLevel` the change reaches it anyway. Children that never had their own level keep
 * inheriting it.
 *
 * @throws {@link @rampart/errors!ValidationError | ValidationError} when `level` is not a level name or `logger` not a pino logger.
 *
 * @example
 * ```ts
 * import { createLogger, setLevel } from '@rampart/logger';
 *
 * const logger = createLogger();
 * const db = logger.child({ component: 'db' }, { level: 'warn' });
 *
 * process.on('SIGUSR2', () => setLevel(logger, logger.level === 'debug' ? 'info' : 'debug'));
 * // db follows: debug lines from the db component appear too
 * ```
 */
export function setLevel(logger: PinoLogger, level: LogLevel): void {
  if (!isLogLevel(level)) throw invalidArgument('setLevel', 'level', LEVEL_EXPECTATION, level);
  if (typeof logger !== 'object' || logger === null || typeof logger.child !== 'function') {
    throw invalidArgument('setLevel', 'logger', 'must be a pino logger', logger);
  }
  logger.level = level;
  const stack = childrenOf(logger);
  for (let child = stack.pop(); child !== undefined; child = stack.pop()) {
    // A child without a level of its own inherits the new one through its prototype.
    if (Object.hasOwn(child, pino.symbols.levelValSym)) child.level = level;
    stack.push(...childrenOf(child));
  }
}
