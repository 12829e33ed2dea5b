import { MAX_TIMER_MS } from '../backoff.ts';

const resolved: Promise<void> = Promise.resolve();

/**
 * Waits `delayMs` on a timer, ref'd (the caller awaits it) unless `unref` is true. An abort of `signal` clears the timer and rejects at
 * once with its reason. A zero delay schedules no timer, but still rejects when aborted.
 */
export function sleep(
  delayMs: number,
  signal: AbortSignal | undefined,
  unref: boolean,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (delayMs <= 0) return resolved;
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      reject(signal?.reason);
    };
    const timer = setTimeout(
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
    if (unref) timer.unref();
    signal?.addEventListener('abort', onAbort);
  });
}
