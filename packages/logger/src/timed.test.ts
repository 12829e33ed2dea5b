import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { isRampartError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { type LoggerSlowOperationEvent, loggerChannels } from './channels.ts';
import { createLogger } from './create-logger.ts';
import { withLogContext } from './log-context.ts';
import { capture } from './test-fixtures/capture.ts';
import { timed } from './timed.ts';

function setup(name?: string) {
  const output = capture();
  const logger = createLogger({
    destination: { stream: output.stream },
    level: 'debug',
    ...(name === undefined ? {} : { name }),
  });
  let now = 1_000;
  const clock = { now: () => now };
  const advance = (milliseconds: number): void => {
    now += milliseconds;
  };
  return { output, logger, clock, advance };
}

describe('timed', () => {
  it('returns the result and logs the duration at debug when fast', async () => {
    const { output, logger, clock, advance } = setup();
    const result = await timed(
      logger,
      'load user',
      async () => {
        advance(12.345);
        return { id: 42 };
      },
      { slowMs: 100, clock },
    );
    expect(result).toEqual({ id: 42 });
    expect(output.last()).toMatchObject({
      level: 20,
      operation: 'load user',
      durationMs: 12.35,
      slowMs: 100,
      msg: 'load user took 12.35 ms',
    });
  });

  it('warns when slower than slowMs and publishes a slow-operation event', async () => {
    const { output, logger, clock, advance } = setup('api');
    const events: LoggerSlowOperationEvent[] = [];
    const listener = (message: unknown): void => {
      events.push(message as LoggerSlowOperationEvent);
    };
    subscribe(loggerChannels.slowOperation, listener);
    try {
      await timed(logger, 'report', () => advance(250), { slowMs: 200, clock });
    } finally {
      unsubscribe(loggerChannels.slowOperation, listener);
    }
    expect(output.last()).toMatchObject({
      level: 40,
      operation: 'report',
      durationMs: 250,
      msg: 'report took 250 ms, slower than 200 ms',
    });
    expect(events).toEqual([
      { name: 'api', operation: 'report', durationMs: 250, slowMs: 200, failed: false },
    ]);
  });

  it('times failures too and rethrows them unchanged', async () => {
    const { output, logger, clock, advance } = setup();
    const failure = new Error('boom');
    await expect(
      timed(
        logger,
        'explode',
        () => {
          advance(5);
          throw failure;
        },
        { clock },
      ),
    ).rejects.toBe(failure);
    await expect(
      timed(logger, 'reject', () => Promise.reject(failure), { slowMs: 0, clock }),
    ).rejects.toBe(failure);
    expect(
      output.records().map(({ level, failed, durationMs }) => ({ level, failed, durationMs })),
    ).toEqual([
      { level: 20, failed: true, durationMs: 5 },
      { level: 20, failed: true, durationMs: 0 },
    ]);
  });

  it('defaults slowMs to one second', async () => {
    const { output, logger, clock, advance } = setup();
    await timed(logger, 'a', () => advance(1_000), { clock });
    await timed(logger, 'b', () => advance(1_001), { clock });
    expect(output.records().map((record) => record.level)).toEqual([20, 40]);
  });

  it('passes its signal to fn and stops waiting when it aborts', async () => {
    vi.useFakeTimers();
    try {
      const { logger } = setup();
      const controller = new AbortController();
      let received: AbortSignal | undefined;
      const running = timed(
        logger,
        'hang',
        (signal) => {
          received = signal;
          return new Promise(() => {});
        },
        { signal: controller.signal },
      );
      controller.abort(new Error('shutting down'));
      await expect(running).rejects.toThrow('shutting down');
      expect(received).toBe(controller.signal);
      await expect(timed(logger, 'late', () => 1, { signal: controller.signal })).rejects.toThrow(
        'shutting down',
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives fn a signal even without one', async () => {
    const { logger } = setup();
    await timed(logger, 'signal', (signal) => {
      expect(signal).toBeInstanceOf(AbortSignal);
      expect(signal.aborted).toBe(false);
    });
  });

  it('writes its lines inside the active log context', async () => {
    const { output, logger } = setup();
    await withLogContext({ requestId: 'r-5' }, () => timed(logger, 'ctx', async () => {}));
    expect(output.last()).toMatchObject({ requestId: 'r-5', operation: 'ctx' });
  });

  it('warns exactly when the duration passes slowMs', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        async (durationMs, slowMs) => {
          const { output, logger, clock, advance } = setup();
          await timed(logger, 'p', () => advance(durationMs), { slowMs, clock });
          expect(output.last().level).toBe(durationMs > slowMs ? 40 : 20);
        },
      ),
    );
  });

  it('rejects bad arguments with a ValidationError before running fn', async () => {
    const { logger } = setup();
    const fn = vi.fn();
    for (const call of [
      () => timed({} as never, 'x', fn),
      () => timed(logger, '', fn),
      () => timed(logger, 'x', 'fn' as never),
      () => timed(logger, 'x', fn, { slowMs: -1 }),
      () => timed(logger, 'x', fn, { slowMs: Number.NaN }),
      () => timed(logger, 'x', fn, { signal: {} as never }),
    ]) {
      const error = await call().catch((caught: unknown) => caught);
      expect(isRampartError(error, 'E_VALIDATION')).toBe(true);
    }
    expect(fn).not.toHaveBeenCalled();
  });
});
