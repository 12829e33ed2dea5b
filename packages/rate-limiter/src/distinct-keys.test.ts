import { isRampartError } from '@rampart/errors';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRateLimiter } from './index.ts';
import { memoryStore } from './memory-store.ts';
import { redisStore } from './redis.ts';
import type { RateLimitStore } from './store.ts';

const isWellFormed = (value: string): boolean =>
  (value as unknown as { isWellFormed(): boolean }).isWellFormed();

/** Non-empty strings over all of Unicode, some with lone surrogates (`'\ud800'`, `'\udc00'`). */
const anyKey = fc.string({
  unit: fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), weight: 8 },
    {
      arbitrary: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)),
      weight: 1,
    },
  ),
  minLength: 1,
  maxLength: 6,
});

let run = 0;

/** Distinct keys keep distinct counts; a key with a lone surrogate is refused, naming `key`. */
async function checkKeys(store: RateLimitStore, keys: readonly string[]): Promise<void> {
  const limiter = createRateLimiter({
    limits: [{ name: 'once', limit: 1, windowMs: 60_000 }],
    store,
    prefix: `distinct:${process.pid}:${++run}:`,
    storeTimeoutMs: 10_000,
  });
  for (const key of keys.filter((key) => !isWellFormed(key))) {
    for (const call of [
      () => limiter.consume(key),
      () => limiter.peek(key),
      () => limiter.reset(key),
    ]) {
      const error = await call().then(
        () => undefined,
        (reason: unknown) => reason,
      );
      expect(isRampartError(error) && error.code).toBe('E_VALIDATION');
      expect(String((error as Error).message)).toMatch(
        /`key` must be a well-formed Unicode string/,
      );
    }
  }
  const wellFormed = keys.filter(isWellFormed);
  const first = await Promise.all(wellFormed.map((key) => limiter.consume(key)));
  expect(first.map((decision) => decision.allowed)).toEqual(wellFormed.map(() => true));
  const second = await Promise.all(wellFormed.map((key) => limiter.consume(key)));
  expect(second.map((decision) => decision.allowed)).toEqual(wellFormed.map(() => false));
}

describe('keys', () => {
  it('memory store: distinct keys stay distinct, lone surrogates are refused (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anyKey, { minLength: 1, maxLength: 6 }), (keys) =>
        checkKeys(memoryStore(), keys),
      ),
      { numRuns: 200 },
    );
  });

  describe.runIf(hasRedisServer())('on a real Redis', () => {
    let redis: Awaited<ReturnType<typeof useRedis>>;
    let client: Redis;
    beforeAll(async () => {
      redis = await useRedis();
      client = new Redis(redis.url);
    });
    afterAll(async () => {
      client.disconnect();
      await redis.release();
    });

    it('redis store: distinct keys stay distinct, lone surrogates are refused (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.uniqueArray(anyKey, { minLength: 1, maxLength: 6 }), (keys) =>
          checkKeys(redisStore({ client }), keys),
        ),
        { numRuns: 100 },
      );
    });

    it("'\\ud800' and '\\udc00' are refused rather than sharing U+FFFD's count", async () => {
      const limiter = createRateLimiter({
        limits: [{ name: 'once', limit: 1, windowMs: 60_000 }],
        store: redisStore({ client }),
        prefix: `surrogates:${process.pid}:`,
      });
      await expect(limiter.consume('\ud800')).rejects.toThrow(/`key` must be a well-formed/);
      await expect(limiter.consume('\udc00')).rejects.toThrow(/`key` must be a well-formed/);
      expect((await limiter.consume('\ufffd')).allowed).toBe(true);
    });
  });
});
