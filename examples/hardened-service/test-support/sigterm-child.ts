/**
 * Run as a child process by tests/hardened-service-shutdown.test.ts: starts the service as
 * `src/main.ts` does (configuration from the environment, shutdown on signals), starts a
 * request that is still running when it sends itself SIGTERM, then checks that the listener
 * is gone and how the request ended. It prints one `RESULT {…}` line and must then exit on its
 * own: nothing the service opened may keep the process alive.
 *
 * `SCENARIO=drain`: the request finishes within the shutdown deadline and gets its answer.
 * `SCENARIO=deadline`: it outlives the deadline and is cut off with a 503.
 */
import { configFromEnvironment } from '../src/environment.ts';
import { exitOnCrash } from '../src/process-handlers.ts';
import { startService } from '../src/service.ts';

const deadline = process.env.SCENARIO === 'deadline';
const service = await startService(
  {
    ...configFromEnvironment(process.env),
    port: 0,
    shutdownTimeoutMs: deadline ? 300 : 5_000,
    requestDeadlineMs: 5_000,
    cache: { hardTimeoutMs: 4_500 },
    retry: { maxElapsedMs: 4_500 },
    breaker: { timeoutMs: 4_000 },
    upstream: { latencyMs: deadline ? 3_000 : 400, jitterMs: 0, errorRate: 0 },
  },
  { signals: ['SIGTERM', 'SIGINT'] },
);
exitOnCrash(service);

const inFlight = fetch(`${service.url}/api/products/p-1`).then(async (response) => ({
  status: response.status,
  code: ((await response.json()) as { code?: string }).code,
  connection: response.headers.get('connection'),
}));
while (service.upstream.stats().inFlight === 0) {
  await new Promise((resolve) => setTimeout(resolve, 5));
}
process.kill(process.pid, 'SIGTERM');

// Once the signal is handled, new connections must be refused.
let refused = false;
for (let attempt = 0; attempt < 100 && !refused; attempt++) {
  await new Promise((resolve) => setTimeout(resolve, 10));
  try {
    await fetch(`${service.url}/healthz`, { headers: { connection: 'close' } });
  } catch (error) {
    refused = (error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED';
  }
}
const answer = await inFlight;
console.log(`RESULT ${JSON.stringify({ ...answer, refused })}`);
