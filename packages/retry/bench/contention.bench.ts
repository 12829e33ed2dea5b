/**
 * Retry storms in a deterministic simulation (virtual time, seeded randomness): how many calls
 * N clients make, and how long they take, against one contended resource per backoff
 * strategy; and how a retry budget bounds the load on a dependency that is down.
 * Run: `pnpm bench retry`.
 */
import { report } from '@rampart/bench-kit';
import { type Backoff, backoff, createRetryBudget, type RandomSource } from '@rampart/retry';
import { averageOverSeeds } from './contention-simulation.ts';

const SEEDS = 20;
const SERVICE_MS = 10;
const CLIENT_COUNTS = [10, 50, 100, 200] as const;
const bounds = { baseMs: SERVICE_MS, maxMs: 10_000 };

const strategies: readonly (readonly [string, (random: RandomSource) => Backoff])[] = [
  ['no backoff (immediate retry)', () => backoff.constant({ delayMs: 0 })],
  ['constant 10 ms', () => backoff.constant({ delayMs: SERVICE_MS })],
  ['exponential, no jitter', () => backoff.exponential(bounds)],
  ['equal jitter', (random) => backoff.equalJitter({ ...bounds, random })],
  ['decorrelated jitter', (random) => backoff.decorrelatedJitter({ ...bounds, random })],
  ['full jitter (default)', (random) => backoff.fullJitter({ ...bounds, random })],
];

const calls = (value: number): string => Math.round(value).toLocaleString('en-US');
const seconds = (ms: number): string => `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 0)} s`;

const contentionRows: string[][] = [];
const results = new Map<string, number>();
for (const [name, make] of strategies) {
  const row = [name];
  for (const clients of CLIENT_COUNTS) {
    const outcome = averageOverSeeds({ clients, serviceMs: SERVICE_MS, backoff: make }, SEEDS);
    results.set(`${name}/${clients}`, outcome.calls);
    row.push(`${calls(outcome.calls)} calls, ${seconds(outcome.completionMs)}`);
  }
  contentionRows.push(row);
}
console.log(['strategy', ...CLIENT_COUNTS.map((n) => `${n} clients`)].join(' | '));
for (const row of contentionRows) console.log(row.join(' | '));

const fullJitter = results.get(`full jitter (default)/100`) ?? Number.NaN;
const exponential = results.get(`exponential, no jitter/100`) ?? Number.NaN;
if (!(fullJitter < exponential)) {
  throw new Error(
    `full jitter made ${fullJitter} calls, exponential ${exponential}: expected fewer`,
  );
}

// A dependency that is down for 10 s while 100 calls a second arrive, with the default
// policy (3 retries, full jitter from 100 ms): without and with the default retry budget.
const outage = {
  clients: 1_000,
  arrivalMs: 10_000,
  outageMs: 10_000,
  serviceMs: 1,
  maxAttempts: 4,
};
const defaultJitter = (random: RandomSource) => backoff.fullJitter({ random });
const withoutBudget = averageOverSeeds({ ...outage, backoff: defaultJitter }, SEEDS);
const withBudget = averageOverSeeds(
  { ...outage, backoff: defaultJitter, budget: (clock) => createRetryBudget({ clock }) },
  SEEDS,
);
const outageRows = [
  [
    'no budget',
    calls(withoutBudget.calls),
    `${(withoutBudget.calls / outage.clients).toFixed(2)}×`,
    calls(withoutBudget.completed),
  ],
  [
    'default budget (10 % + 10/s, 100 saved up)',
    calls(withBudget.calls),
    `${(withBudget.calls / outage.clients).toFixed(2)}×`,
    calls(withBudget.completed),
  ],
];
for (const row of outageRows) console.log(row.join(' | '));

await report('retry.contention', {
  title: '@rampart/retry: retry storms, simulated',
  rerun: 'pnpm bench retry/bench/contention',
})
  .text(
    `N clients each write once to a resource with optimistic concurrency (an attempt reads, then ` +
      `commits ${SERVICE_MS} ms later, and fails if another commit landed in between), all arriving ` +
      `within ${SERVICE_MS} ms, and retry until they succeed. The simulation runs in virtual time ` +
      `with the package's own \`backoff\` strategies (base ${SERVICE_MS} ms, cap 10 s) and seeded ` +
      `randomness, so it is deterministic: each cell is the mean of seeds 0–${SEEDS - 1} (total ` +
      'calls, and time until the last client is done). It measures behaviour, not speed, so it ' +
      'does not depend on the machine.',
  )
  .table(['strategy', ...CLIENT_COUNTS.map((n) => `${n} clients`)], contentionRows)
  .text(
    `Without jitter, clients that collided once retry in lockstep and collide again: one wins per ` +
      `round, so N clients make N(N+1)/2 calls however long they wait. Full jitter spreads them out: ` +
      `with 100 clients it makes ${calls(fullJitter)} calls against ${calls(exponential)} for plain ` +
      `exponential backoff (${(exponential / fullJitter).toFixed(1)}× fewer) and finishes long before it.`,
  )
  .text(
    `A dependency down for 10 s while ${outage.clients / 10} calls a second arrive (each call: up to ` +
      '3 retries with the default full jitter). Without a budget nearly every call makes 4 attempts, ' +
      'quadrupling the load on the dependency just when it is down; the default retry budget keeps ' +
      'retries to about 10 % of the calls plus what it had saved up. The price: the few calls whose ' +
      `retries would have outlived the outage (${calls(withoutBudget.completed)} of ${calls(outage.clients)} ` +
      'here) give up instead.',
  )
  .table(['budget', 'calls to the dependency', 'per caller', 'calls that succeeded'], outageRows)
  .write();
