/**
 * Failover in a deterministic simulation (virtual time, seeded randomness), against a
 * hand-written "try each provider in order with p-retry" loop: a primary outage, and a slow
 * tail with and without hedging. Run: `pnpm bench failover/bench/simulation`.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { report } from '@rampart/bench-kit';
import { type CircuitBreakerStateEvent, circuitBreakerChannels } from '@rampart/circuit-breaker';
import { createFailover, type FailoverOptions, type FailoverProvider } from '@rampart/failover';
import pRetry from 'p-retry';
import { delay, mean, percentile, seededRandom, VirtualTime } from './virtual-time.ts';

const ms = (value: number): string => `${Math.round(value).toLocaleString('en-US')} ms`;

/** A provider in virtual time: `behave()` decides each call's latency and failure. */
function simulatedProvider(
  name: string,
  behave: () => { readonly latencyMs: number; readonly fails: boolean },
  log: { calls: number; callsBefore: (time: number) => number; times: number[] },
): FailoverProvider<number, string> {
  return {
    name,
    async call(_input, { signal }) {
      log.calls++;
      log.times.push(Date.now());
      const { latencyMs, fails } = behave();
      await delay(latencyMs, signal);
      if (fails)
        throw Object.assign(new Error(`connect ECONNREFUSED ${name}`), { code: 'ECONNREFUSED' });
      return name;
    },
  };
}

function callLog() {
  const log = {
    calls: 0,
    times: [] as number[],
    callsBefore: (time: number) => log.times.filter((at) => at < time).length,
  };
  return log;
}

// --- 1. Primary outage ----------------------------------------------------------------------
const OUTAGE_MS = 60_000;
const REQUEST_EVERY_MS = 4_000;
const REQUESTS = 20; // 80 s
const PRIMARY_FAIL_MS = 100;

interface OutageRun {
  readonly latencies: number[];
  readonly primaryDuringOutage: number;
  readonly fallbackLatencies: number[];
  readonly probes: number;
}

async function outageRun(
  variant: 'p-retry' | FailoverOptions<number, string>['breaker'],
): Promise<OutageRun> {
  const time = new VirtualTime();
  time.install();
  try {
    const random = seededRandom(7);
    const primaryLog = callLog();
    const fallbackLog = callLog();
    const fallbackLatencies: number[] = [];
    const primary = simulatedProvider(
      'primary',
      () =>
        Date.now() < OUTAGE_MS
          ? { latencyMs: PRIMARY_FAIL_MS, fails: true }
          : { latencyMs: 200, fails: false },
      primaryLog,
    );
    const fallback = simulatedProvider(
      'fallback',
      () => {
        const latencyMs = 950 + random() * 100;
        fallbackLatencies.push(latencyMs);
        return { latencyMs, fails: false };
      },
      fallbackLog,
    );
    let probes = 0;
    const onState = (message: unknown): void => {
      const event = message as CircuitBreakerStateEvent;
      if (event.to === 'half-open' && Date.now() < OUTAGE_MS) probes++;
    };
    subscribe(circuitBreakerChannels.state, onState);
    const call =
      variant === 'p-retry'
        ? async (input: number): Promise<string> => {
            let lastError: unknown;
            for (const provider of [primary, fallback]) {
              try {
                return await pRetry(
                  (attemptNumber) =>
                    provider.call(input, {
                      signal: new AbortController().signal,
                      attempt: attemptNumber,
                    }),
                  { retries: 3, minTimeout: 500, factor: 2, randomize: false },
                );
              } catch (error) {
                lastError = error;
              }
            }
            throw lastError;
          }
        : (() => {
            const failover = createFailover({
              name: 'outage',
              providers: [primary, fallback],
              ...(variant === undefined ? {} : { breaker: variant }),
            });
            return (input: number) => failover.execute(input);
          })();
    const latencies: number[] = [];
    for (let request = 0; request < REQUESTS; request++) {
      setTimeout(() => {
        const sentAt = Date.now();
        void call(request).then(() => {
          latencies[request] = Date.now() - sentAt;
        });
      }, request * REQUEST_EVERY_MS);
    }
    await time.runAll();
    unsubscribe(circuitBreakerChannels.state, onState);
    if (latencies.filter((value) => value !== undefined).length !== REQUESTS) {
      throw new Error(`not every request of the outage run was answered`);
    }
    return {
      latencies,
      primaryDuringOutage: primaryLog.callsBefore(OUTAGE_MS),
      fallbackLatencies,
      probes,
    };
  } finally {
    time.uninstall();
  }
}

const tuned = { volumeThreshold: 2, rollingWindowMs: 30_000, resetTimeoutMs: 10_000 } as const;
const outageVariants = [
  ['p-retry loop (3 retries, 500 ms doubling), then the fallback', await outageRun('p-retry')],
  ['@rampart/failover, breaker defaults (10 calls in 10 s)', await outageRun(undefined)],
  ['@rampart/failover, `volumeThreshold: 2`, 30 s window', await outageRun(tuned)],
] as const;

/** Requests sent during the outage after the first two (which open a tuned breaker). */
const duringOutage = (run: OutageRun): number[] =>
  run.latencies.slice(2, Math.ceil(OUTAGE_MS / REQUEST_EVERY_MS));
const outageRows = outageVariants.map(([name, run]) => [
  name,
  ms(mean(run.latencies)),
  ms(percentile(run.latencies, 0.99)),
  ms(percentile(duringOutage(run), 0.99)),
  run.primaryDuringOutage,
]);
for (const row of outageRows) console.log(row.join(' | '));

const tunedRun = outageVariants[2][1];
const fallbackP99 = percentile(tunedRun.fallbackLatencies, 0.99);
const tunedOutageP99 = percentile(duringOutage(tunedRun), 0.99);
console.log(`fallback's own p99 ${ms(fallbackP99)}; probes during the outage ${tunedRun.probes}`);
if (tunedOutageP99 > 1.2 * fallbackP99) {
  throw new Error(`p99 during the outage ${tunedOutageP99} ms is above 1.2 × ${fallbackP99} ms`);
}
if (tunedRun.primaryDuringOutage > 2 + tunedRun.probes) {
  throw new Error(
    `${tunedRun.primaryDuringOutage} primary calls: more than 2 + ${tunedRun.probes} probes`,
  );
}

// --- 2. Slow tail ---------------------------------------------------------------------------
const TAIL_REQUESTS = 2_000;
const TAIL_EVERY_MS = 50;

/** 97 % of calls take 40–60 ms, 3 % take 2 s: p50 ≈ 50 ms, p99 = 2 s. */
function tailLatency(random: () => number): number {
  return random() < 0.97 ? 40 + random() * 20 : 2_000;
}

interface TailRun {
  readonly latencies: number[];
  readonly calls: number;
}

async function tailRun(hedge: boolean): Promise<TailRun> {
  const time = new VirtualTime();
  time.install();
  try {
    const random = seededRandom(11);
    const log = callLog();
    const providers = ['primary', 'secondary'].map((name) =>
      simulatedProvider(name, () => ({ latencyMs: tailLatency(random), fails: false }), log),
    );
    const failover = createFailover({
      name: 'tail',
      providers,
      ...(hedge ? { hedge: { delayMs: 'p95' as const } } : {}),
    });
    const latencies: number[] = [];
    for (let request = 0; request < TAIL_REQUESTS; request++) {
      setTimeout(() => {
        const sentAt = Date.now();
        void failover.execute(request).then(() => {
          latencies[request] = Date.now() - sentAt;
        });
      }, request * TAIL_EVERY_MS);
    }
    await time.runAll();
    await failover.dispose();
    return { latencies, calls: log.calls };
  } finally {
    time.uninstall();
  }
}

const withoutHedge = await tailRun(false);
const withHedge = await tailRun(true);
const tailRows = [
  ['no hedging', withoutHedge],
  ["hedging at the provider's p95", withHedge],
].map(([name, run]) => {
  const result = run as TailRun;
  return [
    name as string,
    ms(percentile(result.latencies, 0.5)),
    ms(percentile(result.latencies, 0.95)),
    ms(percentile(result.latencies, 0.99)),
    `${((result.calls / TAIL_REQUESTS - 1) * 100).toFixed(1)} %`,
  ];
});
for (const row of tailRows) console.log(row.join(' | '));
const p99Ratio = percentile(withoutHedge.latencies, 0.99) / percentile(withHedge.latencies, 0.99);
const extraLoad = withHedge.calls / TAIL_REQUESTS - 1;
if (p99Ratio < 5 || extraLoad > 0.1) {
  throw new Error(
    `hedging: p99 ${p99Ratio.toFixed(1)}× lower for ${(extraLoad * 100).toFixed(1)} % more calls`,
  );
}

const [pRetryRun, defaultsRun] = [outageVariants[0][1], outageVariants[1][1]];
await report('failover.simulation', {
  title: '@rampart/failover: outage and slow tail, simulated',
  rerun: 'pnpm bench failover/bench/simulation',
})
  .text(
    "Both scenarios run the real code (breakers, budget, hedge timers, p-retry's waits) in " +
      'virtual time with seeded randomness, so they are deterministic and do not depend on the ' +
      'machine: they measure behaviour, not speed.',
  )
  .heading('A primary outage')
  .text(
    `One request every ${REQUEST_EVERY_MS / 1000} s for ${(REQUESTS * REQUEST_EVERY_MS) / 1000} s. The ` +
      `primary refuses connections (after ${PRIMARY_FAIL_MS} ms) for the first ${OUTAGE_MS / 1000} s, ` +
      'then answers in 200 ms; the fallback answers in 950–1,050 ms ' +
      `(its own p99: ${ms(fallbackP99)}). The hand-written loop tries the primary with p-retry ` +
      '(3 retries, 500 ms doubling), then the fallback. "During the outage" are the requests sent ' +
      'in it after the first two.',
  )
  .table(
    ['', 'mean', 'p99', 'p99 during the outage', 'primary calls during the outage'],
    outageRows,
  )
  .text(
    `The loop pays the primary's retries on every request: ${ms(percentile(duringOutage(pRetryRun), 0.99))} ` +
      `at p99 and ${pRetryRun.primaryDuringOutage} calls to a dead primary. With a breaker tuned ` +
      'for this traffic (two failures in 30 s open it), requests during the outage cost the ' +
      `fallback alone: p99 ${ms(tunedOutageP99)}, ${(tunedOutageP99 / fallbackP99).toFixed(2)}× the ` +
      `fallback's own, and the primary sees ${tunedRun.primaryDuringOutage} calls: the two that ` +
      `opened the circuit and ${tunedRun.primaryDuringOutage - 2} trial calls (reset after 10 s, ` +
      'then 20 s, …). With the breaker defaults (10 calls in 10 s) a request every 4 s never ' +
      `opens the circuit, so each request pays one failed primary call first (p99 ` +
      `${ms(percentile(duringOutage(defaultsRun), 0.99))}, ${defaultsRun.primaryDuringOutage} primary ` +
      'calls): set `volumeThreshold` and `rollingWindowMs` for your traffic.',
  )
  .heading('A slow tail')
  .text(
    `${TAIL_REQUESTS.toLocaleString('en-US')} requests, one every ${TAIL_EVERY_MS} ms, to two ` +
      'providers that each answer in 40–60 ms 97 % of the time and in 2 s otherwise (p50 ≈ 50 ms, ' +
      "p99 = 2 s). With `hedge: { delayMs: 'p95' }`, a request the primary has not answered by " +
      'its recent p95 also goes to the secondary; the first answer wins and the other call is ' +
      'aborted. "Extra calls" is provider calls per request minus one.',
  )
  .table(['', 'p50', 'p95', 'p99', 'extra calls'], tailRows)
  .text(
    `Hedging cuts p99 ${p99Ratio.toFixed(1)}× for ${(extraLoad * 100).toFixed(1)} % more calls ` +
      '(hedges also spend the retry budget, so an overload cannot multiply them).',
  )
  .write();
