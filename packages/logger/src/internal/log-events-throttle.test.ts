import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createThrottle } from './log-events-throttle.ts';

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

function recorder() {
  const lines: { line: string; suppressed: number; at: number }[] = [];
  const write = (line: string, suppressed: number): void => {
    lines.push({ line, suppressed, at: Date.now() });
  };
  return { lines, write };
}

describe('log-events throttle', () => {
  it('logs the first event of a quiet source at once and sums up the rest when the interval ends', async () => {
    const { lines, write } = recorder();
    const start = Date.now();
    const throttle = createThrottle(60_000, write);
    throttle.offer('api', 'first');
    throttle.offer('api', 'second');
    throttle.offer('api', 'third');
    expect(lines).toEqual([{ line: 'first', suppressed: 0, at: start }]);
    await vi.advanceTimersByTimeAsync(59_999);
    expect(lines).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(lines[1]).toEqual({ line: 'third', suppressed: 2, at: start + 60_000 });
  });

  it('writes one line per interval while events keep coming, and starts over after a quiet interval', async () => {
    const { lines, write } = recorder();
    const throttle = createThrottle(1_000, write);
    for (let second = 0; second < 5; second += 1) {
      for (let index = 0; index < 10; index += 1) throttle.offer('api', `event ${second}.${index}`);
      await vi.advanceTimersByTimeAsync(1_000);
    }
    // first event, then one summary at the end of each interval
    expect(lines.map((entry) => entry.suppressed)).toEqual([0, 9, 10, 10, 10, 10]);
    await vi.advanceTimersByTimeAsync(1_000); // a quiet interval closes the window
    throttle.offer('api', 'after the quiet');
    expect(lines.at(-1)).toMatchObject({ line: 'after the quiet', suppressed: 0 });
  });

  it('keeps sources apart', () => {
    const { lines, write } = recorder();
    const throttle = createThrottle(1_000, write);
    throttle.offer('api', 'api failed');
    throttle.offer('login', 'login failed');
    throttle.offer('api', 'api again');
    expect(lines.map((entry) => entry.line)).toEqual(['api failed', 'login failed']);
  });

  it('writes every event with an interval of 0, and leaves no timer behind', () => {
    const { lines, write } = recorder();
    const throttle = createThrottle(0, write);
    throttle.offer('api', 'a');
    throttle.offer('api', 'b');
    expect(lines.map((entry) => entry.suppressed)).toEqual([0, 0]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('writes pending summaries and clears its timers on flush', async () => {
    const { lines, write } = recorder();
    const throttle = createThrottle(1_000, write);
    throttle.offer('api', 'a');
    throttle.offer('api', 'b');
    throttle.offer('login', 'c');
    throttle.flush();
    expect(lines.map((entry) => [entry.line, entry.suppressed])).toEqual([
      ['a', 0],
      ['c', 0],
      ['b', 1],
    ]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(lines).toHaveLength(3);
  });

  it('accounts for every event and never writes two lines about one source within an interval (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5_000 }),
        fc.array(fc.tuple(fc.constantFrom('api', 'login'), fc.integer({ min: 0, max: 3_000 })), {
          maxLength: 60,
        }),
        async (intervalMs, events) => {
          vi.useRealTimers();
          vi.useFakeTimers();
          const { lines, write } = recorder();
          const written: { source: string; suppressed: number; at: number }[] = [];
          const throttle = createThrottle<string>(intervalMs, (source, suppressed) => {
            write(source, suppressed);
            written.push({ source, suppressed, at: Date.now() });
          });
          for (const [source, waitMs] of events) {
            await vi.advanceTimersByTimeAsync(waitMs);
            throttle.offer(source, source);
          }
          await vi.advanceTimersByTimeAsync(intervalMs * 3);
          expect(vi.getTimerCount()).toBe(0);
          for (const source of ['api', 'login']) {
            const own = written.filter((entry) => entry.source === source);
            const accounted = own.reduce((sum, entry) => sum + (entry.suppressed || 1), 0);
            expect(accounted).toBe(events.filter(([name]) => name === source).length);
            for (let index = 1; index < own.length; index += 1) {
              const gap = (own[index]?.at ?? 0) - (own[index - 1]?.at ?? 0);
              expect(gap).toBeGreaterThanOrEqual(intervalMs);
            }
          }
          expect(lines).toHaveLength(written.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
