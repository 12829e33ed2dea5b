/**
 * Health checks and a graceful shutdown around a small node:http service: `/livez` looks at
 * the process only, `/readyz` at the dependencies. The example plays the orchestrator: it
 * probes while a database check is healthy, slow (its deadline fails it) and while a
 * non-critical search index is down (`warn`, still in rotation); then it sends the process
 * SIGTERM with a slow request in flight. Readiness answers 503 at once, the request still
 * gets its answer, the handlers close everything in order, and the process exits on its own.
 *
 * Run: pnpm --filter @rampart/example-health start
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createCache } from '@rampart/cache';
import { createCircuitBreakerRegistry } from '@rampart/circuit-breaker';
import {
  cacheCheck,
  circuitBreakerCheck,
  createHealth,
  createShutdown,
  eventLoopDelayCheck,
  healthHandler,
  heapCheck,
  shutdownOrder,
} from '@rampart/health';

const print = (line: string): void => console.log(line);
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

// What the service uses: a cache, breakers, and two dependencies we can break on purpose.
const cache = createCache({ name: 'catalog', ttlMs: 30_000 });
const breakers = createCircuitBreakerRegistry();
breakers.get('payments', async () => 'ok');
const database = { latencyMs: 5 };
const search = { up: true };

const health = createHealth({ name: 'shop', timeoutMs: 200 });
const eventLoop = eventLoopDelayCheck({ thresholdMs: 1_000 });
health.add('event-loop', eventLoop, { groups: ['liveness'] });
health.add('heap', heapCheck(), { groups: ['liveness'] });
health.add('database', async ({ signal }) => {
  await new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, database.latencyMs);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });
  return { status: 'pass', observedValue: database.latencyMs, observedUnit: 'ms' };
});
health.add('search', () => search.up, { critical: false });
health.add('cache', cacheCheck(cache), { critical: false });
health.add('breakers', circuitBreakerCheck(breakers), { critical: false });

const live = healthHandler(health, { group: 'liveness' });
const ready = healthHandler(health, { group: 'readiness', details: 'always' });
const server = createServer((request, response) => {
  if (request.url === '/livez') return live(request, response);
  if (request.url === '/readyz') return ready(request, response);
  setTimeout(() => response.end('order placed'), request.url === '/slow' ? 600 : 10);
});

const shutdown = createShutdown({
  name: 'shop',
  health,
  servers: [server],
  drainDelayMs: 300,
  timeoutMs: 5_000,
  logger: {
    info: (_details, message) => print(`  [shutdown] ${message}`),
    warn: (_details, message) => print(`  [shutdown] ${message}`),
    error: (_details, message) => print(`  [shutdown] ${message}`),
  },
});
shutdown.onShutdown('cache', () => cache.close(), { order: shutdownOrder.cache });
shutdown.onShutdown('breakers', () => breakers.dispose(), { order: shutdownOrder.breakers });
shutdown.onShutdown('event-loop sampling', () => eventLoop.dispose(), {
  order: shutdownOrder.metrics,
});

await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

async function probe(path: string): Promise<void> {
  const response = await fetch(`${url}${path}`, { headers: { connection: 'close' } });
  const body = (await response.json()) as {
    status: string;
    checks?: Record<string, { status: string; output?: string }[]>;
  };
  const checks = Object.entries(body.checks ?? {})
    .map(
      ([name, [result]]) =>
        `${name} ${result?.status}${result?.output ? ` (${result.output})` : ''}`,
    )
    .join(', ');
  print(`GET ${path} → ${response.status} ${body.status}${checks ? `: ${checks}` : ''}`);
}

print('1. everything healthy');
await probe('/livez');
await probe('/readyz');

print('2. the database answers in 500 ms, past its 200 ms deadline: readiness fails');
database.latencyMs = 500;
await probe('/readyz');
await probe('/livez');
database.latencyMs = 5;

print('3. the search index is down, but it is not critical: warn, still in rotation');
search.up = false;
await probe('/readyz');
search.up = true;

print('4. SIGTERM with a slow request in flight');
const slow = fetch(`${url}/slow`).then(async (response) => {
  print(`  the slow request got ${response.status} "${await response.text()}"`);
});
await sleep(50);
process.kill(process.pid, 'SIGTERM');
await probe('/readyz');
await slow;
const result = await shutdown.start(); // the same shutdown the signal started
print(`5. shutdown ${result.outcome} in ${result.durationMs} ms; the process exits on its own`);
