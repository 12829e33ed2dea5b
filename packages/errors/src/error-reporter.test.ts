import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConfigurationError,
  createErrorReporter,
  InternalError,
  NotFoundError,
  type RampartError,
  TimeoutError,
} from './index.ts';

describe('createErrorReporter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('fans a normalized error and its context out to every handler', async () => {
    const seen: [string, RampartError, unknown][] = [];
    const reporter = createErrorReporter({
      handlers: [
        (error, context) => {
          seen.push(['sync', error, context]);
        },
        async (error, context) => {
          seen.push(['async', error, context]);
        },
      ],
    });
    await reporter.report(new TypeError('boom'), { requestId: 'r-1' });
    expect(seen.map(([name]) => name)).toEqual(['sync', 'async']);
    expect(seen[0]?.[1]).toBeInstanceOf(InternalError);
    expect(seen[1]?.[2]).toEqual({ requestId: 'r-1' });
  });

  it('keeps going when a handler throws or rejects, and tells onHandlerError', async () => {
    const failures: string[] = [];
    const delivered: string[] = [];
    const reporter = createErrorReporter({
      handlers: [
        function throwsSync() {
          throw new Error('sync failure');
        },
        async function rejects() {
          throw new Error('async failure');
        },
        (error) => {
          delivered.push(error.code);
        },
      ],
      onHandlerError: (error, handler) =>
        failures.push(`${handler.name}: ${(error as Error).message}`),
    });
    await expect(reporter.report(new NotFoundError())).resolves.toBeUndefined();
    expect(delivered).toEqual(['E_NOT_FOUND']);
    expect(failures).toEqual(['throwsSync: sync failure', 'rejects: async failure']);
  });

  it('gives up on a slow handler after timeoutMs and aborts its signal', async () => {
    let signal: AbortSignal | undefined;
    const failures: unknown[] = [];
    const reporter = createErrorReporter({
      handlers: [
        (_error, _context, options) => {
          signal = options.signal;
          return new Promise<void>(() => {});
        },
      ],
      timeoutMs: 1_000,
      onHandlerError: (error) => failures.push(error),
    });
    let settled = false;
    const reported = reporter.report(new NotFoundError()).then(() => {
      settled = true;
    });
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await reported;
    expect(signal?.aborted).toBe(true);
    expect(failures[0]).toBeInstanceOf(TimeoutError);
  });

  it('emits a process warning by default when a handler fails', async () => {
    const warning = vi.spyOn(process, 'emitWarning').mockImplementation(() => {});
    const reporter = createErrorReporter({
      handlers: [
        function flaky() {
          throw new Error('nope');
        },
      ],
    });
    await reporter.report('x');
    expect(warning).toHaveBeenCalledWith('error handler flaky failed: nope', {
      code: 'RAMPART_ERROR_HANDLER_FAILED',
    });
  });

  it('rejects bad options with a ConfigurationError naming the field', () => {
    expect(() => createErrorReporter({ handlers: ['log' as never] })).toThrow(ConfigurationError);
    expect(() => createErrorReporter({ handlers: [], timeoutMs: -1 })).toThrow(
      'createErrorReporter: `timeoutMs` must be greater than 0 (got -1)',
    );
  });
});
