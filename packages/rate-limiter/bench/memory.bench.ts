/**
 * Memory-store decisions: @rampart/rate-limiter vs rate-limiter-flexible's RateLimiterMemory
 * (and RateLimiterUnion for two limits), in the same process and run. Run: `pnpm bench rate-limiter`.
 */
import { compare, measureMemory, ratio, report } from '@rampart/bench-kit';
import { RateLimiterMemory, RateLimiterUnion } from 'rate-limiter-flexible';
import { createRateLimiter, memoryStore } from '../src/index.ts';
import { referenceGcra } from './reference-gcra.ts';

const KEYS = 1_000;
const keys = Array.from({ length: KEYS }, (_, index) => `user-${index}`);
let next = 0;
const key = (): string => keys[next++ % KEYS] as string;

// Limits high enough that every call is admitted: the cost of a decision, not of a rejection.
const open = { limit: 1_000_000_000, windowMs: 60_000 };
const flexible = new RateLimiterMemory({ points: open.limit, duration: 60 });
const gcra = createRateLimiter({ limits: [{ name: 'minute', ...open }] });
const fixedWindow = createRateLimiter({
  limits: [{ name: 'minute', ...open, algorithm: 'fixed-window' }],
});
const slidingWindow = createRateLimiter({
  limits: [{ name: 'minute', ...open, algorithm: 'sliding-window' }],
});

const admitted = await compare('memory store, one limit, calls under the limit (1,000 keys)', {
  baseline: 'rate-limiter-flexible RateLimiterMemory',
  cases: [
    { name: 'rate-limiter-flexible RateLimiterMemory', fn: () => flexible.consume(key()) },
    { name: 'Rampart, gcra (default)', fn: () => gcra.consume(key()) },
    { name: 'Rampart, fixed-window', fn: () => fixedWindow.consume(key()) },
    { name: 'Rampart, sliding-window', fn: () => slidingWindow.consume(key()) },
  ],
});

// Measuring sticks for the 2× target, in the same process: a single-purpose GCRA limit written
// out in one function that resolves the same decision, and the floor any limiter awaited this
// way pays (a clock read, a map lookup and a resolved promise, with no decision at all).
const reference = referenceGcra('minute', open.limit, open.windowMs);
const floorMap = new Map(keys.map((name) => [name, 0]));
const sticks = await compare('memory store, one limit: the fastest possible', {
  baseline: 'rate-limiter-flexible RateLimiterMemory',
  cases: [
    { name: 'rate-limiter-flexible RateLimiterMemory', fn: () => flexible.consume(key()) },
    { name: 'Rampart, gcra (default)', fn: () => gcra.consume(key()) },
    { name: 'reference: one GCRA limit written out, same decision', fn: () => reference(key()) },
    {
      name: 'floor: Date.now(), a Map lookup, a resolved promise',
      fn: () => Promise.resolve((floorMap.get(key()) ?? 0) + Date.now()),
    },
  ],
});

// High cardinality: a new key on every call (a scan, a botnet, per-request ids).
// rate-limiter-flexible starts a timer per new key; the memory store keeps a bounded map.
let fresh = 0;
const churnFlexible = new RateLimiterMemory({ points: 100, duration: 60 });
const churnRampart = createRateLimiter({
  limits: [{ name: 'minute', limit: 100, windowMs: 60_000, algorithm: 'fixed-window' }],
});
const churn = await compare('memory store, a new key on every call', {
  baseline: 'rate-limiter-flexible RateLimiterMemory',
  // Short: rate-limiter-flexible keeps every key (and a timer) for a minute.
  timeMs: 400,
  cases: [
    {
      name: 'rate-limiter-flexible RateLimiterMemory',
      fn: () => churnFlexible.consume(`visitor-${fresh++}`),
    },
    { name: 'Rampart, fixed-window', fn: () => churnRampart.consume(`visitor-${fresh++}`) },
  ],
});

// A flood: one key far over its limit. rate-limiter-flexible rejects the promise.
const floodFlexible = new RateLimiterMemory({ points: 10, duration: 60 });
const floodRampart = createRateLimiter({
  limits: [{ name: 'minute', limit: 10, windowMs: 60_000, algorithm: 'fixed-window' }],
});
const flood = await compare('memory store, one key flooding far over its limit', {
  baseline: 'rate-limiter-flexible RateLimiterMemory',
  cases: [
    {
      name: 'rate-limiter-flexible RateLimiterMemory',
      fn: () => floodFlexible.consume('flooder').catch(() => undefined),
    },
    { name: 'Rampart, fixed-window', fn: () => floodRampart.consume('flooder') },
  ],
});

const unionMinute = new RateLimiterMemory({
  keyPrefix: 'minute',
  points: open.limit,
  duration: 60,
});
const unionHour = new RateLimiterMemory({
  keyPrefix: 'hour',
  points: 100_000_000,
  duration: 3_600,
});
const union = new RateLimiterUnion(unionMinute, unionHour);
const twoLimits = createRateLimiter({
  limits: [
    { name: 'minute', ...open },
    { name: 'hour', limit: 100_000_000, windowMs: 3_600_000 },
  ],
});
const two = await compare('memory store, two limits (minute and hour) per call', {
  baseline: 'rate-limiter-flexible RateLimiterUnion of two',
  cases: [
    { name: 'rate-limiter-flexible RateLimiterUnion of two', fn: () => union.consume(key()) },
    { name: 'Rampart, two limits in one limiter', fn: () => twoLimits.consume(key()) },
  ],
});

const KEYS_FOR_MEMORY = 50_000;
const bytesFlexible = await measureMemory(async () => {
  const limiter = new RateLimiterMemory({ points: 100, duration: 60 });
  for (let index = 0; index < KEYS_FOR_MEMORY; index++) await limiter.consume(`user-${index}`);
  return limiter;
});
const bytesRampart = await measureMemory(async () => {
  const limiter = createRateLimiter({ limits: [{ name: 'minute', limit: 100, windowMs: 60_000 }] });
  for (let index = 0; index < KEYS_FOR_MEMORY; index++) await limiter.consume(`user-${index}`);
  return limiter;
});

// Bounded: a store with maxKeys 10,000 after 10× as many distinct keys holds what 10,000 keys need.
const BOUND = 10_000;
const boundedLimits = [{ name: 'minute', limit: 100, windowMs: 60_000 }];
const bytesBounded = await measureMemory(async () => {
  const limiter = createRateLimiter({
    limits: boundedLimits,
    store: memoryStore({ maxKeys: BOUND }),
  });
  for (let index = 0; index < BOUND; index++) await limiter.consume(`user-${index}`);
  return limiter;
});
const bytesOverflowed = await measureMemory(async () => {
  const limiter = createRateLimiter({
    limits: boundedLimits,
    store: memoryStore({ maxKeys: BOUND }),
  });
  for (let index = 0; index < 10 * BOUND; index++) await limiter.consume(`user-${index}`);
  return limiter;
});

const row = (result: typeof admitted, name: string): number =>
  result.rows.find((candidate) => candidate.name === name)?.relativeToBaseline ?? 0;

await report('rate-limiter.memory', {
  title: '@rampart/rate-limiter: memory store',
  rerun: 'pnpm bench rate-limiter',
})
  .text(
    'Decisions with the in-process store against `rate-limiter-flexible` (fixed windows of whole ' +
      'seconds, a timer per key). Every call is awaited; Rampart resolves every decision, admitted ' +
      'or not, while `rate-limiter-flexible` rejects the promise of a limited call.',
  )
  .compareTable(admitted)
  .text(
    'What is left to gain, measured in the same process: the reference is one ' +
      'GCRA limit written out in a single function (no validation, no other algorithms or ' +
      'limits, no eviction, no events) resolving the same decision; the floor is what awaiting ' +
      'any limiter here costs before it decides anything. The limiters above share their code ' +
      'between three algorithms in this process, as an application using several would.',
  )
  .compareTable(sticks)
  .compareTable(churn)
  .text(
    'With a new key on every call, `rate-limiter-flexible` keeps a record and a timer per key ' +
      'for the whole window (its memory grows with the keys); the memory store is bounded by ' +
      '`maxKeys` (100,000 by default) and drops the oldest keys first.',
  )
  .compareTable(flood)
  .compareTable(two)
  .table(
    ['store', `heap per key (${KEYS_FOR_MEMORY.toLocaleString('en-US')} keys, one limit)`],
    [
      [
        'rate-limiter-flexible RateLimiterMemory',
        `${Math.round(bytesFlexible / KEYS_FOR_MEMORY)} B`,
      ],
      ['Rampart memoryStore', `${Math.round(bytesRampart / KEYS_FOR_MEMORY)} B`],
    ],
  )
  .table(
    ['memoryStore({ maxKeys: 10,000 }), one limit', 'heap', 'per key kept'],
    [
      [
        '10,000 distinct keys (full)',
        `${(bytesBounded / 1024 / 1024).toFixed(2)} MB`,
        `${Math.round(bytesBounded / BOUND)} B`,
      ],
      [
        '100,000 distinct keys (10× maxKeys)',
        `${(bytesOverflowed / 1024 / 1024).toFixed(2)} MB`,
        `${Math.round(bytesOverflowed / BOUND)} B`,
      ],
    ],
  )
  .text(
    'Bounded means bounded: after ten times `maxKeys` distinct keys the store holds what ' +
      '`maxKeys` keys need (the oldest keys were dropped, with their place in the age queue).',
  )
  .text(
    `Memory store decisions under the limit: ${ratio(row(admitted, 'Rampart, gcra (default)'))} ` +
      `(GCRA) and ${ratio(row(admitted, 'Rampart, fixed-window'))} (fixed window) as fast as ` +
      '`RateLimiterMemory` (the written-out reference GCRA reaches ' +
      `${ratio(row(sticks, 'reference: one GCRA limit written out, same decision'))} and the floor ` +
      `${ratio(row(sticks, 'floor: Date.now(), a Map lookup, a resolved promise'))}); ` +
      `a new key per call: ${ratio(row(churn, 'Rampart, fixed-window'))}; ` +
      `a flooding key: ${ratio(row(flood, 'Rampart, fixed-window'))}; ` +
      `two limits: ${ratio(row(two, 'Rampart, two limits in one limiter'))} as fast as a \`RateLimiterUnion\`.`,
  )
  .write();
