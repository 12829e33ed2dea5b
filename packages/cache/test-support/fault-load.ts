/**
 * Helpers for the fault suites in tests/: fake time that still lets real socket I/O run, and
 * waves of concurrent getOrSet calls whose outcomes are recorded without awaiting them.
 */
import { setImmediate as realImmediate, setTimeout as realSleep } from 'node:timers/promises';
import { vi } from 'vitest';
import type { Cache } from '../src/index.ts';

/**
 * Fake timers for everything the cache and ioredis schedule (deadlines, cool-downs,
 * reconnects, `Date`), while `setImmediate`, `performance` and `node:timers/promises` stay
 * real, so sockets, child processes and the harness keep working.
 */
export function useFakeTimersWithRealIo(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

/** Advances fake time by `ms` in steps, letting pending real I/O run after each step. */
export async function pump(ms: number, stepMs = 5): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += stepMs) {
    await vi.advanceTimersByTimeAsync(Math.min(stepMs, ms - elapsed));
    await realImmediate();
  }
  if (ms === 0) {
    await vi.advanceTimersByTimeAsync(0);
    await realImmediate();
  }
}

/** Advances fake time and waits real time until `condition` holds (at most `realMs`). */
export async function pumpUntil(
  condition: () => boolean,
  what: string,
  realMs = 20_000,
): Promise<void> {
  const started = process.hrtime.bigint();
  while (!condition()) {
    if (Number(process.hrtime.bigint() - started) / 1e6 > realMs) {
      throw new Error(`gave up after ${realMs} ms waiting for ${what}`);
    }
    await vi.advanceTimersByTimeAsync(10);
    await realSleep(2);
  }
}

/** One recorded call of a wave. */
export interface RecordedCall {
  readonly key: string;
  settled: boolean;
  value?: unknown;
  error?: unknown;
}

/** The value every factory of the fault suites returns for `key`. */
export const expectedValue = (key: string): string => `value:${key}`;

/** Starts `getOrSet` for every key at once and records how each call ends. */
export function wave(cache: Cache, keys: readonly string[]): RecordedCall[] {
  return keys.map((key) => {
    const call: RecordedCall = { key, settled: false };
    cache
      .getOrSet(key, () => expectedValue(key))
      .then(
        (value) => {
          call.settled = true;
          call.value = value;
        },
        (error: unknown) => {
          call.settled = true;
          call.error = error;
        },
      );
    return call;
  });
}

/** `prefix0` … `prefix{count-1}`. */
export const keysOf = (prefix: string, count: number, from = 0): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}${from + index}`);

/** Collects unhandled rejections while a suite runs. */
export function trackUnhandledRejections(): { readonly reasons: unknown[]; stop(): void } {
  const reasons: unknown[] = [];
  const listener = (reason: unknown): void => {
    reasons.push(reason);
  };
  process.on('unhandledRejection', listener);
  return { reasons, stop: () => process.off('unhandledRejection', listener) };
}
