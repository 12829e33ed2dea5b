import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RateLimitAlgorithm, ResolvedLimit } from './limits.ts';
import { memoryStore } from './memory-store.ts';
import type { StoreOutcome } from './store.ts';

/** One call of a generated sequence: wait `gapMs`, then consume `cost`. */
interface Call {
  readonly gapMs: number;
  readonly cost: number;
}

const WINDOWS = [1, 10, 100, 250, 1_000, 1_500, 60_000];
const START = 1_750_000_000_000;

const limitArbitrary = (algorithm: RateLimitAlgorithm): fc.Arbitrary<ResolvedLimit> =>
  fc
    .record({
      limit: fc.integer({ min: 1, max: 20 }),
      windowMs: fc.constantFrom(...WINDOWS),
      burst: fc.option(fc.integer({ min: 1, max: 25 }), { nil: undefined }),
    })
    .map(({ limit, windowMs, burst }) => {
      const bucket = algorithm === 'gcra' || algorithm === 'token-bucket';
      return {
        name: 'only',
        algorithm,
        limit,
        windowMs,
        capacity: bucket ? (burst ?? limit) : limit,
      };
    });

const callsArbitrary = (limit: ResolvedLimit): fc.Arbitrary<Call[]> =>
  fc.array(
    fc.record({
      gapMs: fc.oneof(
        fc.constant(0),
        fc.integer({ min: 0, max: Math.max(1, Math.ceil(limit.windowMs / 8)) }),
        fc.integer({ min: 0, max: limit.windowMs * 2 }),
      ),
      cost: fc.integer({ min: 1, max: limit.capacity }),
    }),
    { minLength: 1, maxLength: 40 },
  );

const scenario = (algorithm: RateLimitAlgorithm) =>
  limitArbitrary(algorithm).chain((limit) =>
    fc.record({ limit: fc.constant(limit), calls: callsArbitrary(limit) }),
  );

/** Replays `calls` as consumes on a fresh memory store; returns each call's time and outcome. */
async function replay(limits: readonly ResolvedLimit[], calls: readonly Call[]) {
  const store = memoryStore();
  const results: { at: number; cost: number; outcome: StoreOutcome }[] = [];
  let now = START;
  for (const { gapMs, cost } of calls) {
    now += gapMs;
    const outcome = await store.consume({ prefix: 'p:', key: 'k', limits, cost, nowMs: now });
    results.push({ at: now, cost, outcome });
  }
  return { store, results, now };
}

/** The largest sum of admitted costs in any span `[t, t + windowMs)` starting at an admission. */
function busiestSpan(admitted: readonly { at: number; cost: number }[], windowMs: number): number {
  let busiest = 0;
  for (const first of admitted) {
    let sum = 0;
    for (const other of admitted) {
      if (other.at >= first.at && other.at < first.at + windowMs) sum += other.cost;
    }
    busiest = Math.max(busiest, sum);
  }
  return busiest;
}

function busiestAlignedWindow(
  admitted: readonly { at: number; cost: number }[],
  windowMs: number,
): number {
  const sums = new Map<number, number>();
  for (const { at, cost } of admitted) {
    const window = Math.floor(at / windowMs);
    sums.set(window, (sums.get(window) ?? 0) + cost);
  }
  return Math.max(0, ...sums.values());
}

const admittedOf = (results: Awaited<ReturnType<typeof replay>>['results']) =>
  results.filter((result) => result.outcome.allowed);

describe('the algorithms never admit more than their documented bound', () => {
  it('gcra: never more than limit + burst − 1 units in any span of windowMs (limit with burst 1)', async () => {
    await fc.assert(
      fc.asyncProperty(scenario('gcra'), async ({ limit, calls }) => {
        const { results } = await replay([limit], calls);
        const bound = limit.limit + limit.capacity - 1;
        expect(busiestSpan(admittedOf(results), limit.windowMs)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 300 },
    );
  });

  it('token-bucket: never more than limit + burst − 1 units in any span of windowMs', async () => {
    await fc.assert(
      fc.asyncProperty(scenario('token-bucket'), async ({ limit, calls }) => {
        const { results } = await replay([limit], calls);
        const bound = limit.limit + limit.capacity - 1;
        expect(busiestSpan(admittedOf(results), limit.windowMs)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 300 },
    );
  });

  it('fixed-window: never more than limit units per window', async () => {
    await fc.assert(
      fc.asyncProperty(scenario('fixed-window'), async ({ limit, calls }) => {
        const { results } = await replay([limit], calls);
        expect(busiestAlignedWindow(admittedOf(results), limit.windowMs)).toBeLessThanOrEqual(
          limit.limit,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('sliding-window: never more than limit per window, nor 2 × limit − 1 in any span of windowMs', async () => {
    await fc.assert(
      fc.asyncProperty(scenario('sliding-window'), async ({ limit, calls }) => {
        const admitted = admittedOf((await replay([limit], calls)).results);
        expect(busiestAlignedWindow(admitted, limit.windowMs)).toBeLessThanOrEqual(limit.limit);
        expect(busiestSpan(admitted, limit.windowMs)).toBeLessThanOrEqual(2 * limit.limit - 1);
      }),
      { numRuns: 300 },
    );
  });

  it('a burst of 1 spaces gcra calls evenly: never more than limit in any span of windowMs', async () => {
    const strict = limitArbitrary('gcra').map((limit) => ({ ...limit, capacity: 1 }));
    await fc.assert(
      fc.asyncProperty(
        strict.chain((limit) =>
          fc.record({
            limit: fc.constant(limit),
            calls: callsArbitrary(limit),
          }),
        ),
        async ({ limit, calls }) => {
          const { results } = await replay([limit], calls);
          expect(busiestSpan(admittedOf(results), limit.windowMs)).toBeLessThanOrEqual(limit.limit);
        },
      ),
      { numRuns: 200 },
    );
  });
});

const anyAlgorithm = fc.constantFrom<RateLimitAlgorithm>(
  'gcra',
  'fixed-window',
  'sliding-window',
  'token-bucket',
);

describe('the times a decision names are exact', () => {
  it('a rejected call fits exactly retryAfterMs later, and not a millisecond sooner', async () => {
    await fc.assert(
      fc.asyncProperty(anyAlgorithm.chain(scenario), async ({ limit, calls }) => {
        const { results } = await replay([limit], calls);
        for (const [index, result] of results.entries()) {
          if (result.outcome.allowed) continue;
          const wait = result.outcome.limits[0]?.retryAfterMs ?? 0;
          expect(wait).toBeGreaterThan(0);
          // Replay up to this call (a rejected call changes nothing), then look ahead.
          const { store } = await replay([limit], calls.slice(0, index + 1));
          const ask = (at: number) =>
            store.peek({ prefix: 'p:', key: 'k', limits: [limit], cost: result.cost, nowMs: at });
          expect((await ask(result.at + wait - 1)).allowed).toBe(false);
          expect((await ask(result.at + wait)).allowed).toBe(true);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('resetMs is exactly when the key is back to its full capacity', async () => {
    await fc.assert(
      fc.asyncProperty(anyAlgorithm.chain(scenario), async ({ limit, calls }) => {
        const { store, results, now } = await replay([limit], calls);
        const last = results.at(-1)?.outcome.limits[0];
        const reset = last?.resetMs ?? 0;
        const ask = async (at: number) =>
          (await store.peek({ prefix: 'p:', key: 'k', limits: [limit], cost: 1, nowMs: at }))
            .limits[0];
        if (reset > 0) expect((await ask(now + reset - 1))?.remaining).toBeLessThan(limit.capacity);
        const after = await ask(now + reset);
        expect(after?.remaining).toBe(limit.capacity);
        expect(after?.resetMs).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it('refillMs is exactly when remaining next grows', async () => {
    await fc.assert(
      fc.asyncProperty(anyAlgorithm.chain(scenario), async ({ limit, calls }) => {
        const { store, results, now } = await replay([limit], calls);
        const last = results.at(-1)?.outcome.limits[0];
        if (last === undefined || last.refillMs === 0) {
          expect(last?.remaining).toBe(limit.capacity);
          return;
        }
        const ask = async (at: number) =>
          (await store.peek({ prefix: 'p:', key: 'k', limits: [limit], cost: 1, nowMs: at }))
            .limits[0]?.remaining ?? -1;
        expect(await ask(now + last.refillMs - 1)).toBe(last.remaining);
        expect(await ask(now + last.refillMs)).toBeGreaterThan(last.remaining);
      }),
      { numRuns: 200 },
    );
  });
});

describe('several limits', () => {
  const twoLimits = fc
    .tuple(anyAlgorithm.chain(limitArbitrary), anyAlgorithm.chain(limitArbitrary))
    .map(([first, second]) => [
      { ...first, name: 'first' },
      { ...second, name: 'second' },
    ]);

  it('are all or nothing: a rejected call charges no limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        twoLimits.chain((limits) =>
          fc.record({
            limits: fc.constant(limits),
            calls: callsArbitrary({
              ...(limits[0] as ResolvedLimit),
              capacity: Math.min(...limits.map((limit) => limit.capacity)),
              windowMs: Math.max(...limits.map((limit) => limit.windowMs)),
            }),
          }),
        ),
        async ({ limits, calls }) => {
          const store = memoryStore();
          let now = START;
          for (const { gapMs, cost } of calls) {
            now += gapMs;
            const request = { prefix: 'p:', key: 'k', limits, cost, nowMs: now };
            const before = await store.peek(request);
            const outcome = await store.consume(request);
            expect(outcome.allowed).toBe(outcome.limits.every((limit) => limit.allowed));
            if (!outcome.allowed) expect(await store.peek(request)).toEqual(before);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('gcra and token-bucket', () => {
  it('give identical decisions for the same limit, burst and calls', async () => {
    await fc.assert(
      fc.asyncProperty(scenario('gcra'), async ({ limit, calls }) => {
        const gcra = await replay([limit], calls);
        const bucket = await replay([{ ...limit, algorithm: 'token-bucket' }], calls);
        expect(bucket.results.map((result) => result.outcome)).toEqual(
          gcra.results.map((result) => result.outcome),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('rewards', () => {
  it('never give a key more than a fresh key has', async () => {
    await fc.assert(
      fc.asyncProperty(
        anyAlgorithm.chain(scenario),
        fc.integer({ min: 1, max: 50 }),
        async ({ limit, calls }, units) => {
          const { store, now } = await replay([limit], calls);
          const request = { prefix: 'p:', key: 'k', limits: [limit], cost: units, nowMs: now };
          const rewarded = await store.reward(request);
          expect(rewarded.limits[0]?.remaining).toBeLessThanOrEqual(limit.capacity);
          const fresh = await memoryStore().peek({ ...request, cost: 1 });
          const after = await store.peek({ ...request, cost: 1 });
          expect(after.limits[0]?.remaining).toBeLessThanOrEqual(fresh.limits[0]?.remaining ?? 0);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('give back exactly what a consume took when nothing else happened', async () => {
    await fc.assert(
      fc.asyncProperty(anyAlgorithm.chain(limitArbitrary), async (limit) => {
        const store = memoryStore();
        const request = { prefix: 'p:', key: 'k', limits: [limit], cost: 1, nowMs: START };
        const before = await store.peek(request);
        await store.consume(request);
        await store.reward(request);
        expect(await store.peek(request)).toEqual(before);
      }),
    );
  });
});
