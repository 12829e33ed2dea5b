/**
 * What a call costs when it succeeds (the common case): @rampart/retry against raw p-retry (its
 * engine) and cockatiel's retry, in the same process. Run: `pnpm bench retry`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import { backoff, createRetryPolicy, retry } from '@rampart/retry';
import { retry as cockatielRetry, ExponentialBackoff, handleAll } from 'cockatiel';
import pRetry from 'p-retry';

let counter = 0;
/** The retried work: async, cheap, a different result per call so nothing is folded away. */
const work = async (): Promise<number> => counter++;
const syncWork = (): number => counter++;

// Equivalent configurations, built once, as a service would.
const pRetryOptions = {
  retries: 3,
  minTimeout: 100,
  maxTimeout: 10_000,
  randomize: true,
  unref: true,
};
const cockatiel = cockatielRetry(handleAll, {
  maxAttempts: 3,
  backoff: new ExponentialBackoff({ initialDelay: 100, maxDelay: 10_000 }),
});
const policy = createRetryPolicy({ name: 'bench' });
const controller = new AbortController();
const signal = controller.signal;

const asyncResult = await compare('successful async call', {
  baseline: 'p-retry',
  cases: [
    { name: 'p-retry', fn: () => pRetry(work, pRetryOptions) },
    { name: 'cockatiel retry', fn: () => cockatiel.execute(work) },
    { name: '@rampart/retry policy.execute', fn: () => policy.execute(work) },
    { name: '@rampart/retry retry()', fn: () => retry(work) },
  ],
});

const syncResult = await compare('successful sync call', {
  baseline: 'p-retry',
  cases: [
    { name: 'p-retry', fn: () => pRetry(syncWork, pRetryOptions) },
    { name: 'cockatiel retry', fn: () => cockatiel.execute(syncWork) },
    { name: '@rampart/retry policy.execute', fn: () => policy.execute(syncWork) },
  ],
});

const signalResult = await compare('successful async call with a caller AbortSignal', {
  baseline: 'p-retry',
  cases: [
    { name: 'p-retry', fn: () => pRetry(work, { ...pRetryOptions, signal }) },
    { name: 'cockatiel retry', fn: () => cockatiel.execute(work, signal) },
    { name: '@rampart/retry policy.execute', fn: () => policy.execute(work, { signal }) },
    {
      name: '@rampart/retry, function reads its signal',
      fn: () =>
        policy.execute(({ signal: attemptSignal }) =>
          work().then((n) => (attemptSignal.aborted ? -n : n)),
        ),
    },
  ],
});

const flakyPolicy = createRetryPolicy({
  name: 'bench-flaky',
  backoff: backoff.constant({ delayMs: 0 }),
  budget: false,
});
const flaky = () => {
  let failed = false;
  return async (): Promise<number> => {
    if (!failed) {
      failed = true;
      throw new Error('flaky');
    }
    return counter++;
  };
};
const cockatielNoWait = cockatielRetry(handleAll, { maxAttempts: 3 });
const retryResult = await compare('one failure, then success (no wait)', {
  baseline: 'p-retry',
  cases: [
    { name: 'p-retry', fn: () => pRetry(flaky(), { retries: 3, minTimeout: 0 }) },
    { name: 'cockatiel retry', fn: () => cockatielNoWait.execute(flaky()) },
    { name: '@rampart/retry policy.execute', fn: () => flakyPolicy.execute(flaky()) },
  ],
});

/** Cost per call relative to p-retry: the inverse of the speed ratio. */
function costOf(result: typeof asyncResult, name: string): string {
  const row = result.rows.find((candidate) => candidate.name === name);
  return row === undefined ? 'n/a' : ratio(1 / row.relativeToBaseline);
}

await report('retry.overhead', {
  title: '@rampart/retry: cost of a call',
  rerun: 'pnpm bench retry/bench/overhead',
})
  .text(
    'A retried call that succeeds at once, against raw `p-retry` (the engine @rampart/retry ' +
      "builds on) and `cockatiel`'s retry policy, all configured alike (3 retries, exponential " +
      'backoff from 100 ms, capped at 10 s) and built once. @rampart/retry runs the first ' +
      'attempt itself and hands over to p-retry only after a failure, so a successful call pays ' +
      'for no retry machinery. **A successful call costs ' +
      `${costOf(asyncResult, '@rampart/retry policy.execute')} ` +
      `(\`policy.execute\`) and ${costOf(asyncResult, '@rampart/retry retry()')} (\`retry()\`) of raw p-retry's.**`,
  )
  .compareTable(asyncResult)
  .compareTable(syncResult)
  .text(
    'With a caller `AbortSignal`, @rampart/retry rejects at once when it aborts, even if the ' +
      "function ignores its signal, which costs a listener on the caller's signal per attempt; " +
      'p-retry only checks the signal between attempts. A function that reads its own signal ' +
      'also gets an `AbortController` and a timer for the deadline. Cost relative to p-retry: ' +
      `${costOf(signalResult, '@rampart/retry policy.execute')} with a caller signal, ` +
      `${costOf(signalResult, '@rampart/retry, function reads its signal')} when the function reads its own.`,
  )
  .compareTable(signalResult)
  .text(
    'A call that fails once and succeeds on its first retry, with no wait in between. cockatiel ' +
      'sleeps on a `setTimeout` even for a zero delay (at least 1 ms in Node), so its row measures ' +
      'that timer; p-retry and @rampart/retry schedule none for a zero delay.',
  )
  .compareTable(retryResult)
  .write();
