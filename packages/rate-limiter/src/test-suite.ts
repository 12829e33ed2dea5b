/**
 * The store conformance suite of `@rampart/rate-limiter`: checks that a
 * {@link RateLimitStore} gives the same decisions as the reference memory store for the
 * same calls and clock. Runner-independent: it returns named async checks that throw an
 * `AssertionError` (from `node:assert`) on failure; register them with any test runner.
 *
 * @packageDocumentation
 * @module @rampart/rate-limiter/test-suite
 */
import { randomUUID } from 'node:crypto';
import {
  type Comparison,
  check,
  createComparison,
  createRandom,
  type Random,
  randomLimit,
} from './internal/conformance-runner.ts';
import type { RateLimitAlgorithm, ResolvedLimit } from './limits.ts';
import type { RateLimitStore } from './store.ts';

/** Options of {@link storeConformanceChecks}. */
export interface StoreConformanceOptions {
  /** Creates the store under test; called once per check. Its `close()` runs after the check. */
  readonly createStore: () => RateLimitStore | Promise<RateLimitStore>;
  /**
   * Random call sequences per randomised check.
   * @default `20` — with 60 calls each, enough to cross every kind of boundary many times.
   */
  readonly sequences?: number | undefined;
  /**
   * Calls per random sequence.
   * @default `60`
   */
  readonly calls?: number | undefined;
  /**
   * Seed of the random sequences; a failure message names the seed of its check.
   * @default `20260521` — reproducible runs; vary it (e.g. per CI run) to explore more.
   */
  readonly seed?: number | undefined;
  /**
   * Key prefix of everything the checks write; must not contain `{` or `}`.
   * @default `rampart:conformance:<random UUID>:` — runs never see each other's keys.
   */
  readonly prefix?: string | undefined;
}

/** One named conformance check: `run()` resolves when the store conforms, else rejects. */
export interface StoreConformanceCheck {
  /** What the check proves, e.g. `gcra: random sequences give the reference decisions`. */
  readonly name: string;
  /** Runs the check against a fresh store; rejects with an `AssertionError` on a mismatch. */
  run(): Promise<void>;
}

const ALGORITHMS: readonly RateLimitAlgorithm[] = [
  'gcra',
  'fixed-window',
  'sliding-window',
  'token-bucket',
];

/** A start time that is realistic (about now) but reproducible from the random source. */
const startTime = (random: Random): number => 1_750_000_000_000 + random.int(0, 10_000_000);

/**
 * The checks a store must pass to be used by a rate limiter: for every algorithm, random
 * sequences of consume, peek, reward and reset calls (random costs, random time steps from
 * 0 to one and a half windows, windows from 1 ms to a minute) must give exactly the
 * reference memory store's decisions; several limits together must be all or nothing; a
 * fresh key admits its capacity at one instant and names the exact wait; keys are
 * independent; reset forgets every limit. Time is injected through `nowMs`, so a store with
 * its own clock (Redis `TIME`) must use `nowMs` when given.
 *
 * @example
 * ```ts
 * import { describe, it } from 'vitest';
 * import { storeConformanceChecks } from '@rampart/rate-limiter/test-suite';
 *
 * describe('my store', () => {
 *   for (const check of storeConformanceChecks({ createStore: () => myStore(client) })) {
 *     it(check.name, () => check.run());
 *   }
 * });
 * ```
 */
export function storeConformanceChecks(
  options: StoreConformanceOptions,
): readonly StoreConformanceCheck[] {
  const sequences = options.sequences ?? 20;
  const calls = options.calls ?? 60;
  const baseSeed = options.seed ?? 20_260_521;
  const prefix = options.prefix ?? `rampart:conformance:${randomUUID()}:`;
  let nextKey = 0;
  const freshKey = (): string => `key-${++nextKey}`;

  const withStore =
    (run: (store: RateLimitStore, random: Random, seed: number) => Promise<void>, salt: number) =>
    async (): Promise<void> => {
      const store = await options.createStore();
      const seed = baseSeed + salt;
      try {
        await run(store, createRandom(seed), seed);
      } finally {
        await store.close();
      }
    };

  const compare = async (
    store: RateLimitStore,
    limits: readonly ResolvedLimit[],
    label: string,
    body: (comparison: Comparison, key: string) => Promise<void>,
  ): Promise<void> => {
    const comparison = createComparison(store, prefix, limits, label);
    try {
      await body(comparison, freshKey());
    } finally {
      await comparison.close();
    }
  };

  const randomSequences = async (
    store: RateLimitStore,
    random: Random,
    seed: number,
    makeLimits: () => ResolvedLimit[],
  ): Promise<void> => {
    for (let sequence = 0; sequence < sequences; sequence++) {
      const limits = makeLimits();
      const capacity = Math.min(...limits.map((limit) => limit.capacity));
      const longest = Math.max(...limits.map((limit) => limit.windowMs));
      await compare(
        store,
        limits,
        `seed ${seed}, sequence ${sequence}`,
        async (comparison, key) => {
          let now = startTime(random);
          for (let call = 0; call < calls; call++) {
            const roll = random.next();
            if (roll < 0.35) now += 0;
            else if (roll < 0.7) now += random.int(1, Math.max(1, Math.ceil(longest / 4)));
            else now += random.int(0, Math.ceil(longest * 1.5));
            const pick = random.next();
            const operation =
              pick < 0.7 ? 'consume' : pick < 0.85 ? 'peek' : pick < 0.97 ? 'reward' : 'reset';
            await comparison.step(operation, key, random.int(1, capacity), now);
          }
        },
      );
    }
  };

  const checks: StoreConformanceCheck[] = ALGORITHMS.map((algorithm, index) => ({
    name: `${algorithm}: random consume, peek, reward and reset sequences give the reference decisions`,
    run: withStore(
      (store, random, seed) =>
        randomSequences(store, random, seed, () => [randomLimit(random, 'only', algorithm)]),
      index + 1,
    ),
  }));

  checks.push({
    name: 'several limits of mixed algorithms: all or nothing, with the reference decisions',
    run: withStore(
      (store, random, seed) =>
        randomSequences(store, random, seed, () =>
          Array.from({ length: random.int(2, 4) }, (_, index) =>
            randomLimit(random, `limit-${index}`, ALGORITHMS[random.int(0, 3)] ?? 'gcra'),
          ),
        ),
      10,
    ),
  });

  checks.push({
    name: 'a fresh key admits its whole capacity at one instant, then names the exact wait',
    run: withStore(async (store, random) => {
      for (const algorithm of ALGORITHMS) {
        const limits = [{ name: 'burst', algorithm, limit: 5, windowMs: 1_000, capacity: 5 }];
        await compare(store, limits, algorithm, async (comparison, key) => {
          const now = startTime(random);
          for (let admitted = 0; admitted < 5; admitted++) {
            const outcome = await comparison.step('consume', key, 1, now);
            check(
              outcome?.allowed === true,
              `${algorithm}: call ${admitted + 1} of 5 must be admitted`,
            );
          }
          const rejected = await comparison.step('consume', key, 1, now);
          const wait = rejected?.limits[0]?.retryAfterMs ?? 0;
          check(
            rejected?.allowed === false && wait > 0,
            `${algorithm}: call 6 must be rejected with a wait`,
          );
          const early = await comparison.step('peek', key, 1, now + wait - 1);
          check(early?.allowed === false, `${algorithm}: 1 ms before the wait ends, nothing fits`);
          const onTime = await comparison.step('consume', key, 1, now + wait);
          check(onTime?.allowed === true, `${algorithm}: when the wait ends, the call is admitted`);
        });
      }
    }, 20),
  });

  checks.push({
    name: 'a rejected call charges no limit, and keys do not affect each other',
    run: withStore(async (store, random) => {
      const limits = [
        {
          name: 'small',
          algorithm: 'fixed-window' as const,
          limit: 2,
          windowMs: 60_000,
          capacity: 2,
        },
        { name: 'large', algorithm: 'gcra' as const, limit: 100, windowMs: 60_000, capacity: 100 },
      ];
      await compare(store, limits, 'all or nothing', async (comparison, key) => {
        const now = startTime(random);
        await comparison.step('consume', key, 2, now);
        for (let call = 0; call < 5; call++) {
          const outcome = await comparison.step('consume', key, 1, now + call);
          check(outcome?.allowed === false, 'the exhausted limit rejects');
          check(outcome.limits[1]?.remaining === 98, 'the other limit was not charged');
        }
        const other = await comparison.step('consume', `${key}-other`, 2, now);
        check(other?.allowed === true, 'another key is unaffected');
      });
    }, 30),
  });

  checks.push({
    name: 'reset forgets every limit of the key',
    run: withStore(async (store, random) => {
      const limits = ALGORITHMS.map((algorithm) => ({
        name: algorithm,
        algorithm,
        limit: 3,
        windowMs: 10_000,
        capacity: 3,
      }));
      await compare(store, limits, 'reset', async (comparison, key) => {
        const now = startTime(random);
        await comparison.step('consume', key, 3, now);
        await comparison.step('reset', key, 1, now);
        const after = await comparison.step('peek', key, 3, now);
        check(after?.allowed === true, 'after reset the whole capacity fits again');
      });
    }, 40),
  });

  return checks;
}
