/**
 * Retrying an HTTP dependency with @rampart/retry. A local "inventory" server fails in
 * different ways; one policy handles them all, and its events are printed as they happen.
 *
 *   pnpm --filter @rampart/example-retry start
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import {
  backoff,
  createRetryBudget,
  createRetryPolicy,
  type RetryAttemptEvent,
  type RetryGiveUpEvent,
  retryChannels,
} from '@rampart/retry';
import { startUpstream } from './upstream.ts';

const upstream = await startUpstream();
const started = Date.now();
const log = (line: string) =>
  console.log(`${String(Date.now() - started).padStart(5)} ms  ${line}`);

const printAttempt = (message: unknown) => {
  const event = message as RetryAttemptEvent;
  log(
    `  ${event.name}: attempt ${event.attempt} failed (${String(event.error)}), retrying in ${event.delayMs} ms`,
  );
};
const printGiveUp = (message: unknown) => {
  const event = message as RetryGiveUpEvent;
  log(`  ${event.name}: gave up after ${event.attempt} attempt(s): ${event.reason}`);
};
subscribe(retryChannels.attempt, printAttempt);
subscribe(retryChannels.giveUp, printGiveUp);

/** An HTTP failure that keeps the response, so the classifier sees the status and Retry-After. */
class HttpError extends Error {
  readonly response: Response;
  constructor(response: Response) {
    super(`HTTP ${response.status}`);
    this.name = 'HttpError';
    this.response = response;
  }
}

async function getJson(path: string, signal: AbortSignal): Promise<unknown> {
  const response = await fetch(`${upstream.url}${path}`, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new HttpError(response);
  }
  return response.json();
}

const inventory = createRetryPolicy({
  name: 'inventory',
  retries: 3,
  backoff: backoff.fullJitter({ baseMs: 50, maxMs: 1_000 }),
  attemptTimeoutMs: 300,
  maxElapsedMs: 3_000,
});

async function scenario(title: string, run: () => Promise<unknown>): Promise<void> {
  log(title);
  try {
    log(`  → ${JSON.stringify(await run())}`);
  } catch (error) {
    log(`  → rejected with ${String(error)}`);
  }
}

try {
  await scenario('1. A flaky dependency (503, 503, 200): retried with full jitter', () =>
    inventory.execute(({ signal }) => getJson('/flaky', signal)),
  );
  await scenario('2. A 429 with Retry-After: 1 — the server decides the wait', () =>
    inventory.execute(({ signal }) => getJson('/limited', signal)),
  );
  await scenario('3. A 400 — not retryable, rejected at once with the original error', () =>
    inventory.execute(({ signal }) => getJson('/invalid', signal)),
  );
  await scenario('4. A hanging dependency — each attempt times out after 300 ms', () =>
    createRetryPolicy({ name: 'inventory-hangs', retries: 1, attemptTimeoutMs: 300 }).execute(
      ({ signal }) => getJson('/hangs', signal),
    ),
  );
  const controller = new AbortController();
  setTimeout(() => controller.abort(new Error('the client went away')), 150).unref();
  await scenario('5. The caller aborts after 150 ms — the call stops at once', () =>
    inventory.execute(({ signal }) => getJson('/hangs', signal), { signal: controller.signal }),
  );

  // 6. A storm: 200 callers hit a dependency that is down. Each could retry 3 times (800
  //    requests); a shared budget keeps retries to its savings plus ~10 % of the calls.
  const budget = createRetryBudget({ capacity: 20 });
  const down = createRetryPolicy({
    name: 'inventory-down',
    budget,
    backoff: backoff.constant({ delayMs: 20 }),
  });
  log('6. 200 concurrent callers against a dependency that is down, with a retry budget');
  unsubscribe(retryChannels.attempt, printAttempt); // count instead of printing 200 calls
  unsubscribe(retryChannels.giveUp, printGiveUp);
  let refused = 0;
  subscribe(retryChannels.budgetExhausted, () => refused++);
  const results = await Promise.allSettled(
    Array.from({ length: 200 }, () => down.execute(({ signal }) => getJson('/down', signal))),
  );
  log(
    `  → ${results.filter((result) => result.status === 'rejected').length} calls failed, ` +
      `the dependency received ${upstream.hits.get('/down') ?? 0} requests (800 without the budget); ` +
      `${refused} retries were refused by the budget`,
  );
} finally {
  await upstream.close();
  log('done');
}
