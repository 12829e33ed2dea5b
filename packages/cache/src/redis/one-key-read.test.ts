import { recommendedRedisOptions } from '@rampart/redis';
import { hasRedisServer, useRedis } from '@rampart/test-harness';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCache } from '../create-cache.ts';
import { redisStore } from './redis-store.ts';

const KEYS = ['a', 'b', 'c'] as const;
const TAGS = ['t1', 't2'] as const;

type Step =
  | { readonly kind: 'set'; readonly key: string; readonly value: number; readonly tags: string[] }
  | { readonly kind: 'delete'; readonly key: string }
  | { readonly kind: 'deleteByTag'; readonly tag: string; readonly soft: boolean };

const key = fc.constantFrom(...KEYS);
const step: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('set' as const),
    key,
    value: fc.integer(),
    tags: fc.subarray([...TAGS]),
  }),
  fc.record({ kind: fc.constant('delete' as const), key }),
  fc.record({
    kind: fc.constant('deleteByTag' as const),
    tag: fc.constantFrom(...TAGS),
    soft: fc.boolean(),
  }),
);

describe.runIf(hasRedisServer())('a one-key Redis read', () => {
  let redis: Awaited<ReturnType<typeof useRedis>>;
  let client: Redis;
  beforeAll(async () => {
    redis = await useRedis();
    client = new Redis(redis.url, recommendedRedisOptions);
    await new Promise((resolve) => client.once('ready', resolve));
  });
  afterAll(async () => {
    client.disconnect();
    await redis.release();
  });

  it('answers as a batch read and as the writes say, after any writes and invalidations (property)', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 12 }), async (steps) => {
        run += 1;
        const options = {
          namespace: `one-key-${run}`,
          ttlMs: 60_000,
          graceMs: 60_000,
          l2TimeoutMs: 5_000,
        };
        const writer = createCache({ ...options, l2: redisStore({ client }) });
        const expected = new Map<string, number | undefined>();
        const tagsOf = new Map<string, readonly string[]>();
        for (const made of steps) {
          if (made.kind === 'set') {
            await writer.set(made.key, made.value, { tags: made.tags });
            expected.set(made.key, made.value);
            tagsOf.set(made.key, made.tags);
          } else if (made.kind === 'delete') {
            await writer.delete(made.key);
            expected.set(made.key, undefined);
          } else {
            await writer.deleteByTag(made.tag, { soft: made.soft });
            for (const [tagged, tags] of tagsOf) {
              if (tags.includes(made.tag)) expected.set(tagged, undefined);
            }
          }
        }
        // Fresh instances without L1: every read goes to Redis.
        const single = createCache({ ...options, l1: false, l2: redisStore({ client }) });
        const batch = createCache({ ...options, l1: false, l2: redisStore({ client }) });
        try {
          for (const read of KEYS) {
            const one = await single.get(read);
            const [many] = await batch.getMany([read]);
            expect(one, `key ${read}`).toEqual(expected.get(read));
            expect(many, `key ${read}`).toEqual(one);
          }
          expect(single.stats().l2.errors).toBe(0);
        } finally {
          await Promise.all([writer.close(), single.close(), batch.close()]);
        }
      }),
      { numRuns: 40 },
    );
  }, 60_000);
});
