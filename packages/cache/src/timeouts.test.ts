import { isRampartError, TimeoutError } from '@rampart/errors';
import { describe, expect, it, vi } from 'vitest';
import { delay, useFakeTime } from '../test-support/fake-time.ts';
import type { FactoryContext } from './cache.ts';
import { createCache } from './create-cache.ts';

useFakeTime();

describe('soft and hard timeouts', () => {
  it('gives callers the stale value after softTimeoutMs and refreshes in the background', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 10_000, softTimeoutMs: 100 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1000);
    const slow = vi.fn(async () => {
      await delay(500);
      return 'new';
    });
    const first = cache.getOrSet('k', slow);
    await vi.advanceTimersByTimeAsync(100);
    expect(await first).toBe('old');
    expect(await cache.getOrSet('k', slow)).toBe('old');
    await vi.advanceTimersByTimeAsync(400);
    expect(await cache.getOrSet('k', slow)).toBe('new');
    expect(slow).toHaveBeenCalledTimes(1);
  });

  it('waits for the factory past softTimeoutMs when there is no stale value', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 10_000, softTimeoutMs: 100 });
    const result = cache.getOrSet('k', async () => {
      await delay(500);
      return 'new';
    });
    await vi.advanceTimersByTimeAsync(500);
    expect(await result).toBe('new');
  });

  it('rejects with a TimeoutError after hardTimeoutMs and aborts the factory signal', async () => {
    const cache = createCache({ ttlMs: 1000, hardTimeoutMs: 300 });
    let signal: AbortSignal | undefined;
    const result = cache
      .getOrSet('k', async (context) => {
        signal = context.signal;
        await delay(10_000);
        return 'late';
      })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(299);
    expect(signal?.aborted).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await result;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(error);
    expect(cache.stats().factory.timeouts).toBe(1);
  });

  it('serves the stale value within grace on a hard timeout', async () => {
    const cache = createCache({ ttlMs: 1000, graceMs: 5000, hardTimeoutMs: 300 });
    await cache.set('k', 'old');
    await vi.advanceTimersByTimeAsync(1000);
    const result = cache.getOrSet('k', () => delay(10_000).then(() => 'late'));
    await vi.advanceTimersByTimeAsync(300);
    expect(await result).toBe('old');
  });

  it('does not let a factory that ignores its signal block the key', async () => {
    const cache = createCache({ ttlMs: 1000, hardTimeoutMs: 100 });
    const stuck = cache.getOrSet('k', () => new Promise<string>(() => {})).catch(() => 'timed out');
    await vi.advanceTimersByTimeAsync(100);
    expect(await stuck).toBe('timed out');
    expect(await cache.getOrSet('k', () => 'fresh')).toBe('fresh');
  });

  it('discards what a timed-out factory returns late', async () => {
    const cache = createCache({ ttlMs: 10_000, hardTimeoutMs: 100 });
    const result = cache.getOrSet('k', () => delay(200).then(() => 'late')).catch(() => undefined);
    await vi.advanceTimersByTimeAsync(200);
    await result;
    expect(await cache.get('k')).toBeUndefined();
  });

  it('takes timeouts per call', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const result = cache
      .getOrSet('k', () => delay(1000).then(() => 1), { hardTimeoutMs: 50 })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(50);
    expect(isRampartError(await result, 'E_TIMEOUT')).toBe(true);
  });
});

describe('cancellation', () => {
  it('aborts the factory when its only caller aborts', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const result = cache.getOrSet(
      'k',
      async (context) => {
        signal = context.signal;
        await delay(1000, context.signal);
        return 1;
      },
      { signal: controller.signal },
    );
    await vi.advanceTimersByTimeAsync(10);
    const reason = new Error('client went away');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(signal?.aborted).toBe(true);
    expect(signal?.reason).toBe(reason);
  });

  it('keeps the factory running while another caller still waits', async () => {
    const cache = createCache({ ttlMs: 1000 });
    const controller = new AbortController();
    let signal: AbortSignal | undefined;
    const factory = async (context: FactoryContext) => {
      signal = context.signal;
      await delay(100, context.signal);
      return 7;
    };
    const leaving = cache.getOrSet('k', factory, { signal: controller.signal });
    const staying = cache.getOrSet('k', factory);
    controller.abort();
    await expect(leaving).rejects.toThrow();
    await vi.advanceTimersByTimeAsync(100);
    expect(await staying).toBe(7);
    expect(signal?.aborted).toBe(false);
  });

  it('aborts running factories on close and rejects their callers with E_UNAVAILABLE', async () => {
    const cache = createCache({ ttlMs: 1000 });
    let signal: AbortSignal | undefined;
    const result = cache
      .getOrSet('k', (context) => {
        signal = context.signal;
        return new Promise<number>(() => {});
      })
      .catch((error: unknown) => error);
    await vi.advanceTimersByTimeAsync(1);
    await cache.close();
    expect(signal?.aborted).toBe(true);
    expect(isRampartError(await result, 'E_UNAVAILABLE')).toBe(true);
  });
});
