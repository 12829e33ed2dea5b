/**
 * A deterministic simulation of N clients retrying against one contended resource, in virtual
 * time, driven by @rampart/retry's own backoff strategies and retry budget.
 *
 * The resource uses optimistic concurrency, like a row updated with a version check: an
 * attempt reads at its start and commits `serviceMs` later; the commit succeeds only when no
 * other commit succeeded since the read. Every client must write once; a failed attempt waits
 * `backoff(attempt, previousDelayMs)` and tries again. Randomness (arrival times and jitter)
 * comes from a seeded generator, so a seed always gives the same run.
 */
import type { Backoff, RandomSource, RetryBudget } from '@rampart/retry';

/** What one run is given. */
export interface ContentionScenario {
  /** Number of clients. */
  readonly clients: number;
  /** Clients arrive uniformly within this window. @default serviceMs (all at once) */
  readonly arrivalMs?: number;
  /** The resource is down until then: every commit before it fails. @default 0 */
  readonly outageMs?: number;
  /** How long an attempt holds its read before committing. */
  readonly serviceMs: number;
  /** The strategy under test, built from the run's seeded random source. */
  readonly backoff: (random: RandomSource) => Backoff;
  /** Seed of the run's random source. */
  readonly seed: number;
  /** A budget shared by all clients (one service instance), built on the run's virtual clock. */
  readonly budget?: (clock: { now(): number }) => RetryBudget;
  /** Attempts after which a client gives up. @default 1000 */
  readonly maxAttempts?: number;
}

/** What one run measured. */
export interface ContentionOutcome {
  /** Attempts made by all clients together. */
  readonly calls: number;
  /** Clients whose write succeeded. */
  readonly completed: number;
  /** Clients that gave up (budget spent or `maxAttempts` reached). */
  readonly gaveUp: number;
  /** Virtual milliseconds until the last client finished (succeeded or gave up). */
  readonly completionMs: number;
}

/** mulberry32: a small, fast, seedable generator of numbers in [0, 1). */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface Client {
  readonly id: number;
  attempt: number;
  startMs: number;
  previousDelayMs: number;
}

/** Runs one scenario to the end. */
export function simulateContention(scenario: ContentionScenario): ContentionOutcome {
  const random = seededRandom(scenario.seed);
  const next = scenario.backoff(random);
  const maxAttempts = scenario.maxAttempts ?? 1_000;
  const { serviceMs } = scenario;
  const arrivalMs = scenario.arrivalMs ?? serviceMs;
  const outageMs = scenario.outageMs ?? 0;
  let now = 0;
  const budget = scenario.budget?.({ now: () => now });
  const pending: Client[] = [];
  for (let id = 0; id < scenario.clients; id++) {
    pending.push({ id, attempt: 1, startMs: random() * arrivalMs, previousDelayMs: 0 });
  }
  let calls = 0;
  let completed = 0;
  let gaveUp = 0;
  let lastCommitMs = Number.NEGATIVE_INFINITY;
  const arrived = new Set<number>();
  while (pending.length > 0) {
    // The next commit: earliest commit time, ties broken by client id.
    let index = 0;
    for (let candidate = 1; candidate < pending.length; candidate++) {
      const a = pending[candidate];
      const b = pending[index];
      if (a === undefined || b === undefined) continue;
      if (a.startMs < b.startMs || (a.startMs === b.startMs && a.id < b.id)) index = candidate;
    }
    const client = pending[index];
    if (client === undefined) break;
    const commitMs = client.startMs + serviceMs;
    now = commitMs;
    calls++;
    if (!arrived.has(client.id)) {
      arrived.add(client.id);
      budget?.recordCall(); // a call, not a retry: what a policy records
    }
    if (commitMs >= outageMs && lastCommitMs <= client.startMs) {
      lastCommitMs = commitMs;
      completed++;
      pending.splice(index, 1);
      continue;
    }
    if (client.attempt >= maxAttempts || (budget !== undefined && !budget.tryRetry())) {
      gaveUp++;
      pending.splice(index, 1);
      continue;
    }
    const delayMs = next(client.attempt, client.previousDelayMs);
    client.previousDelayMs = delayMs;
    client.attempt++;
    client.startMs = commitMs + delayMs;
  }
  return { calls, completed, gaveUp, completionMs: now };
}

/** Runs a scenario for seeds `0 … seeds − 1` and averages the outcomes. */
export function averageOverSeeds(
  scenario: Omit<ContentionScenario, 'seed'>,
  seeds: number,
): ContentionOutcome {
  const totals = { calls: 0, completed: 0, gaveUp: 0, completionMs: 0 };
  for (let seed = 0; seed < seeds; seed++) {
    const outcome = simulateContention({ ...scenario, seed });
    totals.calls += outcome.calls;
    totals.completed += outcome.completed;
    totals.gaveUp += outcome.gaveUp;
    totals.completionMs += outcome.completionMs;
  }
  return {
    calls: totals.calls / seeds,
    completed: totals.completed / seeds,
    gaveUp: totals.gaveUp / seeds,
    completionMs: totals.completionMs / seeds,
  };
}
