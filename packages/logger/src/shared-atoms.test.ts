import { ConfigurationError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.ts';
import { httpRequestLogger } from './http-request-logger.ts';
import { logEvents } from './log-events.ts';
import { capture } from './test-fixtures/capture.ts';
import { timed } from './timed.ts';

afterEach(() => {
  vi.useRealTimers();
});

const tooLong = fc.integer({ min: 2 ** 31, max: Number.MAX_SAFE_INTEGER });

describe('shared option atoms', () => {
  it('refuses every duration of 2^31 ms or more, naming it (property)', async () => {
    await fc.assert(
      fc.asyncProperty(tooLong, async (ms) => {
        const logger = createLogger({ destination: { stream: capture().stream } });
        expect(() => logEvents(logger, { minIntervalMs: ms })).toThrow(
          expect.objectContaining({ message: expect.stringContaining('`minIntervalMs`') }),
        );
        expect(() => httpRequestLogger(logger, { slowMs: ms })).toThrow(ConfigurationError);
        await expect(timed(logger, 'work', () => 1, { slowMs: ms })).rejects.toThrow(
          ValidationError,
        );
      }),
      { numRuns: 20 },
    );
  });

  it('reads the time at each line: fake timers installed after creation move timestamps', () => {
    const output = capture();
    const logger = createLogger({ destination: { stream: output.stream } });
    vi.useFakeTimers({ now: Date.UTC(2030, 0, 1) });
    logger.info('later');
    expect(output.lines[0]).toContain('"time":"2030-01-01T00:00:00.000Z"');
  });
});
