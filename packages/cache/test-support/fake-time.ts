/**
 * Time for the unit tests: vitest's fake timers for every test of a file, and the two steps
 * the tests take on them.
 */
import { afterEach, beforeEach, vi } from 'vitest';

/** Runs every test of the calling file on fake timers (real ones again after each test). */
export function useFakeTime(): void {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });
}

/** Runs what is due now: settled promises' callbacks and zero-delay timers. */
export function settle(): Promise<unknown> {
  return vi.advanceTimersByTimeAsync(0);
}

/** Resolves after `ms` (of fake time); rejects with the reason of `signal` if it aborts first. */
export function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
}
