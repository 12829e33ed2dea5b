/**
 * Redis-store decisions: @rampart/rate-limiter vs rate-limiter-flexible's RateLimiterRedis
 * and RateLimiterUnion, in the same process and run, against a redis-server this benchmark
 * starts itself (@rampart/test-harness). Run: `pnpm bench rate-limiter`.
 */

import { subscribe } from 'node:diagnostics_channel';
import { compare, ratio, report } from '@rampart/bench-kit';
import { startRedisServer } from '@rampart/test-harness';
import { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterUnion } from 'rate-limiter-flexible';
import {
  createRateLimiter,
  type RateLimiter,
  type RateLimiterOptions,
  rateLimiterChannels,
} from '../src/index.ts';
import { redisStore } from '../src/redis.ts';

const CONCURRENCY = 64;
const KEYS = 10_000;
const keys = Array.from({ length: KEYS }, (_, index) => `user-${index}`);
let next = 0;

/** One benchmark call: `CONCURRENCY` decisions in flight at once, on different keys. */
const concurrently = (consume: (key: string) => Promise<unknown>) => (): Promise<unknown[]> =>
  Promise.all(Array.from({ length: CONCURRENCY }, () => consume(keys[next++ % KEYS] as string)));

await using server = await startRedisServer();
const client = new Redis(server.url);
const pipelined = new Redis(server.url, { enableAutoPipelining: true });

// Limits high enough that every call is admitted; a generous deadline so that no decision
// comes from the fallback on a busy machine (checked below).
const open = { limit: 1_000_000_000, windowMs: 60_000 };
const rampart = (limits: RateLimiterOptions['limits']): RateLimiter =>
  createRateLimiter({ limits, store: redisStore({ client }), storeTimeoutMs: 10_000 });

const flexibleMinute = new RateLimiterRedis({
  storeClient: client,
  keyPrefix: 'rlf-minute',
  points: open.limit,
  duration: 60,
});
const flexibleHour = new RateLimiterRedis({
  storeClient: client,
  keyPrefix: 'rlf-hour',
  points: 100_000_000,
  duration: 3_600,
});
const flexiblePipelined = new RateLimiterRedis({
  storeClient: pipelined,
  keyPrefix: 'rlf-pipelined',
  points: open.limit,
  duration: 60,
});
const union = new RateLimiterUnion(flexibleMinute, flexibleHour);
const gcra = rampart([{ name: 'minute', ...open }]);
const fixedWindow = rampart([{ name: 'minute', ...open, algorithm: 'fixed-window' }]);
const twoLimits = rampart([
  { name: 'minute', ...open },
  { name: 'hour', limit: 100_000_000, windowMs: 3_600_000 },
]);

// Every benchmarked decision must come from Redis: a store error (and so a fallback
// decision) is published on this channel, at no cost to decisions that succeed.
const storeErrors: unknown[] = [];
subscribe(rateLimiterChannels.storeError, (event) => storeErrors.push(event));

const single = await compare(`Redis store, one limit, ${CONCURRENCY} decisions in flight`, {
  baseline: 'rate-limiter-flexible RateLimiterRedis',
  minBatch: 2,
  cases: [
    {
      name: 'rate-limiter-flexible RateLimiterRedis',
      fn: concurrently((key) => flexibleMinute.consume(key)),
    },
    {
      name: 'rate-limiter-flexible, auto-pipelining client',
      fn: concurrently((key) => flexiblePipelined.consume(key)),
    },
    { name: 'Rampart, gcra (default)', fn: concurrently((key) => gcra.consume(key)) },
    { name: 'Rampart, fixed-window', fn: concurrently((key) => fixedWindow.consume(key)) },
  ],
});

const two = await compare(`Redis store, two limits per call, ${CONCURRENCY} in flight`, {
  baseline: 'rate-limiter-flexible RateLimiterUnion of two',
  minBatch: 2,
  cases: [
    {
      name: 'rate-limiter-flexible RateLimiterUnion of two',
      fn: concurrently((key) => union.consume(key)),
    },
    {
      name: 'Rampart, two limits in one limiter',
      fn: concurrently((key) => twoLimits.consume(key)),
    },
  ],
});
if (storeErrors.length > 0) {
  throw new Error(`${storeErrors.length} benchmarked decisions did not come from Redis`);
}

/** Top-level commands Redis counted per decision for `decide`, from INFO commandstats. */
async function commandsPerDecision(decide: (key: string) => Promise<unknown>) {
  const decisions = 1_000;
  await decide('warm-up');
  await client.config('RESETSTAT');
  for (let call = 0; call < decisions; call++) await decide(keys[call % KEYS] as string);
  const counted = new Map<string, number>();
  for (const line of (await client.info('commandstats')).split('\r\n')) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match?.[1] !== undefined) counted.set(match[1], Number(match[2]));
  }
  const scripts = (counted.get('evalsha') ?? 0) + (counted.get('eval') ?? 0);
  const direct = ['set', 'incrby', 'pttl', 'get', 'multi', 'exec', 'expire']
    .map((name) => counted.get(name) ?? 0)
    .reduce((sum, value) => sum + value, 0);
  // Commands run inside a script are counted too; a round trip is a script call or,
  // without scripts, a direct command.
  return { scripts: scripts / decisions, roundTrips: (scripts || direct) / decisions };
}

const commandRows = [];
for (const [name, decide] of [
  [
    'rate-limiter-flexible RateLimiterRedis, one limit',
    (key: string) => flexibleMinute.consume(key),
  ],
  ['rate-limiter-flexible RateLimiterUnion, two limits', (key: string) => union.consume(key)],
  ['Rampart, one limit', (key: string) => gcra.consume(key)],
  ['Rampart, two limits', (key: string) => twoLimits.consume(key)],
] as const) {
  const { scripts, roundTrips } = await commandsPerDecision(decide);
  commandRows.push([name, scripts.toFixed(2), roundTrips.toFixed(2)]);
}

// A flood: one key far over its limit, with and without the block cache.
async function scriptCallsForFlood(blockCache: boolean): Promise<number> {
  const limiter = createRateLimiter({
    limits: [{ name: 'minute', limit: 10, windowMs: 60_000 }],
    store: redisStore({ client }),
    storeTimeoutMs: 10_000,
    blockCache,
    prefix: `flood-${blockCache}:`,
  });
  await limiter.consume('warm-up');
  await client.config('RESETSTAT');
  for (let call = 0; call < 10_000; call++) await limiter.consume('flooder');
  const stats = await client.info('commandstats');
  return Number(/cmdstat_evalsha:calls=(\d+)/.exec(stats)?.[1] ?? 0);
}
const withoutCache = await scriptCallsForFlood(false);
const withCache = await scriptCallsForFlood(true);
const saved = 1 - withCache / withoutCache;

client.disconnect();
pipelined.disconnect();

const row = (result: typeof single, name: string): number =>
  result.rows.find((candidate) => candidate.name === name)?.relativeToBaseline ?? 0;

await report('rate-limiter.redis', {
  title: '@rampart/rate-limiter: Redis store',
  rerun: 'pnpm bench rate-limiter',
})
  .text(
    `Decisions against one local \`redis-server\` (started by the benchmark), ${CONCURRENCY} in flight ` +
      'at a time on different keys, every one admitted and every one from Redis (the benchmark ' +
      'fails otherwise). Rampart runs one script per decision that reads Redis `TIME`; ' +
      '`rate-limiter-flexible` counts in whole seconds with an `INCRBY` script per limit. Rampart ' +
      'writes calls made in the same tick to the socket together, in batches of doubling size ' +
      '(8, 16, 32…; still one `EVALSHA` each); ' +
      'the "auto-pipelining client" row gives `rate-limiter-flexible` a similar advantage ' +
      "through ioredis' `enableAutoPipelining`. These ratios move with the machine's load " +
      '(both processes share two cores with other work): rerun to see the spread.',
  )
  .compareTable(single)
  .compareTable(two)
  .table(['limiter', 'script calls per decision', 'round trips per decision'], commandRows)
  .table(
    ['a key flooding 10,000 calls, limit 10/min', 'script calls'],
    [
      ['block cache off', withoutCache],
      ['block cache on (the default)', withCache],
      ['Redis calls saved', `${(saved * 100).toFixed(2)}%`],
    ],
  )
  .text(
    `One limit: ${ratio(row(single, 'Rampart, gcra (default)'))} as fast as \`RateLimiterRedis\` ` +
      `. Two limits: ${ratio(row(two, 'Rampart, two limits in one limiter'))} ` +
      `as fast as a \`RateLimiterUnion\` of two. The block cache saves ` +
      `${(saved * 100).toFixed(2)}% of the Redis calls of a flooding key.`,
  )
  .write();
