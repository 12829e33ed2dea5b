import { isRampartError } from '@rampart/errors';
import { recommendedRedisOptions } from '@rampart/redis';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fullUnicodeKey, isWellFormed } from '../../test-support/arbitraries.ts';
import { issue, operation, plan } from '../../test-support/order-model.ts';
import { createCache } from '../create-cache.ts';
import { redisBus } from './redis-bus.ts';
import { redisStore } from './redis-store.ts';

/** Polling for what the bus delivers (on localhost: well under a millisecond). */
const FAST = { timeout: 2000, interval: 1 };

const pause = () => new Promise((resolve) => setImmediate(resolve));

describe.runIf(hasRedisServer())('redisStore: call order and distinct keys on a real Redis', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  let client: Redis;
  let run = 0;
  const prefix = (): string => `order:${process.pid}:${++run}:`;
  const signal = new AbortController().signal;

  beforeAll(async () => {
    redis = await useRedis();
    client = new Redis(redis.url, recommendedRedisOptions);
    await new Promise((resolve) => client.once('ready', resolve));
  });
  afterAll(async () => {
    client.disconnect();
    await redis.release();
  });

  it('applies the first calls of a fresh store in the order they were made (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            kind: fc.constantFrom('set', 'delete', 'clear'),
            key: fc.constantFrom('a', 'b'),
            pauses: fc.nat(3),
          }),
          { minLength: 2, maxLength: 8 },
        ),
        async (ops) => {
          // A fresh store knows neither the generation nor Redis's clock yet.
          const store = redisStore({ client, prefix: prefix() });
          const held = new Map<string, string>();
          const calls: Promise<void>[] = [];
          for (const [index, op] of ops.entries()) {
            for (let step = 0; step < op.pauses; step += 1) await pause();
            if (op.kind === 'set') {
              held.set(op.key, `v${index}`);
              calls.push(store.set('ns', op.key, `v${index}`, 60_000, signal));
            } else if (op.kind === 'delete') {
              held.delete(op.key);
              calls.push(store.delete('ns', [op.key], signal));
            } else {
              held.clear();
              calls.push(store.clear('ns', signal));
            }
          }
          await Promise.all(calls);
          for (const key of ['a', 'b']) {
            expect((await store.get('ns', key, signal))?.data).toBe(held.get(key));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('a cache on a fresh store applies the calls on one key in program order, in L1, L2 and on another instance (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 7 }), async (ops) => {
        // Fresh: the store knows neither the generation nor Redis's clock, nor any tag.
        const namespace = `program-${++run}`;
        const open = (l1: boolean) =>
          createCache({
            namespace,
            ttlMs: 60_000,
            l2TimeoutMs: 5000,
            l2: redisStore({ client, prefix: 'order:' }),
            bus: redisBus({ client }),
            ...(l1 ? {} : { l1: false as const }),
          });
        const writer = open(true);
        const other = open(true);
        const fresh = open(false);
        try {
          await vi.waitFor(() => {
            for (const cache of [writer, other]) {
              expect(cache.stats().bus.state).toBe('connected');
            }
          }, FAST);
          // Through the other instance (into its L1): the writer's store stays fresh.
          await other.set('k', 'initial');
          // Its message supersedes what the writer does with the key: let it arrive first.
          await vi.waitFor(() => expect(writer.stats().bus.received).toBe(1), FAST);
          const { results: expected, held } = plan(
            { value: 'initial', tagged: false, loading: false },
            ops,
          );
          const results = await Promise.all(ops.map((op, index) => issue(writer, 'k', op, index)));
          for (const [index, result] of results.entries()) {
            expect(expected[index]).toContainEqual(result);
          }
          expect(await writer.get('k')).toBe(held?.value);
          // A load's write reaches Redis in the background.
          await vi.waitFor(async () => expect(await fresh.get('k')).toBe(held?.value), FAST);
          await vi.waitFor(async () => expect(await other.get('k')).toBe(held?.value), FAST);
        } finally {
          await Promise.all([writer.close(), other.close(), fresh.close()]);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);

  it('keeps distinct keys distinct, and rejects keys with lone surrogates (property)', async () => {
    const store = redisStore({ client, prefix: prefix() });
    const cache = createCache({ namespace: 'keys', ttlMs: 60_000, l2: store, l1: false });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fullUnicodeKey, { minLength: 2, maxLength: 5 }),
        async (keys) => {
          const wellFormed = keys.filter(isWellFormed);
          for (const key of keys.filter((key) => !isWellFormed(key))) {
            const error = await cache.set(key, 'x').catch((reason: unknown) => reason);
            expect(isRampartError(error) && error.code).toBe('E_VALIDATION');
            expect(String((error as Error).message)).toMatch(/`key` must be a well-formed/);
            expect(await cache.get(key).catch((reason: unknown) => isRampartError(reason))).toBe(
              true,
            );
          }
          await Promise.all(wellFormed.map((key, index) => cache.set(key, index)));
          expect(await cache.getMany(wellFormed)).toEqual(wellFormed.map((_, index) => index));
          await cache.deleteMany(wellFormed);
        },
      ),
      { numRuns: 100 },
    );
    await cache.close();
  });
});
