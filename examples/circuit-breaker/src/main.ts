/**
 * A service calling a flaky upstream (a local node:http server) through a circuit breaker.
 * The upstream fails for a while: the breaker opens after enough failures, then rejects at
 * once with `E_CIRCUIT_OPEN` and a retry-after (no request reaches the upstream), serves a
 * fallback where one is configured, probes the upstream after the reset timeout, and closes
 * when it has recovered. A registry keeps one breaker per upstream host. Every state change
 * is printed from `node:diagnostics_channel`. It starts, runs for about two seconds, and exits.
 *
 * Run: pnpm --filter @rampart/example-circuit-breaker start
 */
import { subscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type CircuitBreakerStateEvent,
  circuitBreakerChannels,
  createCircuitBreaker,
  createCircuitBreakerRegistry,
} from '@rampart/circuit-breaker';
import {
  CircuitOpenError,
  isRampartError,
  NotFoundError,
  toProblemResponse,
} from '@rampart/errors';

// --- The upstream: healthy, then down for a while, then healthy again. -------------------
let upstreamDown = false;
let upstreamRequests = 0;
const upstream = createServer((request, response) => {
  upstreamRequests++;
  if (request.url === '/items/404') {
    response.writeHead(404).end();
  } else if (upstreamDown) {
    response.writeHead(503).end();
  } else {
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ id: request.url?.split('/').pop(), stock: 7 }));
  }
});
await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;

// --- Observe the breakers: state changes as they happen. ---------------------------------
subscribe(circuitBreakerChannels.state, (message) => {
  const event = message as CircuitBreakerStateEvent;
  const retry = event.retryAfterMs === undefined ? '' : `, next probe in ${event.retryAfterMs} ms`;
  console.log(`  [state] ${event.name}: ${event.from} → ${event.to} (${event.reason}${retry})`);
});

// --- The guarded call: passes the per-call signal on, so a timeout aborts the request. ----
async function fetchItem(id: string, signal: AbortSignal): Promise<{ id: string; stock: number }> {
  const response = await fetch(`${base}/items/${id}`, { signal });
  // A 404 is an answer from a healthy upstream: a Rampart 4xx is not counted as a failure.
  if (response.status === 404) throw new NotFoundError(`No item ${id}`);
  if (!response.ok) throw new Error(`inventory answered ${response.status}`);
  return (await response.json()) as { id: string; stock: number };
}

const inventory = createCircuitBreaker(fetchItem, {
  name: 'inventory',
  timeoutMs: 500,
  volumeThreshold: 4,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 300,
  capacity: 10,
});

async function show(label: string, call: Promise<unknown>): Promise<void> {
  try {
    console.log(`${label}: ${JSON.stringify(await call)}`);
  } catch (error) {
    if (error instanceof CircuitOpenError) {
      // What a server would answer its own client: 503 with Retry-After.
      const { status } = toProblemResponse(error);
      const seconds = Math.ceil((error.retryAfterMs ?? 1_000) / 1_000);
      console.log(
        `${label}: ${error.code} → ${status}, Retry-After: ${seconds} (${error.message})`,
      );
    } else {
      const code = isRampartError(error) ? `${error.code} ` : '';
      console.log(`${label}: failed: ${code}${(error as Error).message}`);
    }
  }
}

console.log('1. Healthy upstream, and a 404 that does not count as a failure');
await show('  item 1', inventory.execute('1'));
await show('  item 404', inventory.execute('404'));

console.log('2. The upstream goes down: at 4 calls with ≥ 50 % failures the circuit opens');
upstreamDown = true;
for (const id of ['2', '3']) await show(`  item ${id}`, inventory.execute(id));
const before = upstreamRequests;
for (const id of ['4', '5', '6']) await show(`  item ${id}`, inventory.execute(id));
console.log(`  requests that reached the upstream while open: ${upstreamRequests - before}`);

console.log('3. The upstream recovers; after the reset timeout one probe closes the circuit');
upstreamDown = false;
await sleep(300);
await show('  item 7 (probe)', inventory.execute('7'));
await show('  item 8', inventory.execute('8'));
const stats = inventory.stats();
console.log(
  `  stats: state=${stats.state} calls=${stats.calls} failures=${stats.failures} p99=${stats.latencyMs.p99} ms`,
);

console.log('4. One breaker per host from a registry, with a fallback for when it is open');
const breakers = createCircuitBreakerRegistry({
  defaults: { timeoutMs: 500, volumeThreshold: 2, resetTimeoutMs: 60_000 },
});
const reviews = breakers.get(
  'reviews.internal',
  (id: string, signal: AbortSignal) => fetchItem(id, signal),
  {
    fallback: ({ error }) => {
      const code = isRampartError(error) ? error.code : 'upstream error';
      console.log(`  [fallback] serving a cached answer after ${code}`);
      return { id: 'cached', stock: 0 };
    },
  },
);
upstreamDown = true;
for (const id of ['9', '10', '11']) await show(`  reviews ${id}`, reviews.execute(id));
console.log(
  `  registry: ${breakers
    .list()
    .map((breaker) => `${breaker.name}=${breaker.state}`)
    .join(', ')}`,
);

// Persist state across a restart: snapshot() now, initialState later.
const snapshot = JSON.stringify(breakers.snapshot());
const restored = createCircuitBreakerRegistry({ initialState: JSON.parse(snapshot) });
const again = restored.get('reviews.internal', (id: string, signal: AbortSignal) =>
  fetchItem(id, signal),
);
console.log(`  after a simulated restart the breaker is still ${again.state}`);

await inventory.dispose();
await breakers.dispose();
await restored.dispose();
await new Promise<void>((resolve) => upstream.close(() => resolve()));
console.log('Done: breakers disposed, upstream closed.');
