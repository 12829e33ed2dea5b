/**
 * The cost of one readiness probe with five cached checks: `healthHandler` over a registry
 * whose checks have `cacheMs`, against @godaddy/terminus answering the same path with the same
 * five checks cached by hand (terminus has no cache). Both write through the same stand-in
 * response. Run: `pnpm bench health`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createTerminus } from '@godaddy/terminus';
import { compare, ratio, report } from '@rampart/bench-kit';
import { createHealth, healthHandler } from '../src/index.ts';
import { probeExchange } from './probe-response.ts';

const CHECKS = ['database', 'redis', 'queue', 'search', 'payments'] as const;
const CACHE_MS = 60_000;

/** A dependency check: resolves once its dependency answered. */
const dependency = async (): Promise<void> => {};

/** The same check cached by hand, as a terminus user writes it. */
function cachedByHand(check: () => Promise<void>): () => Promise<void> {
  let last: { at: number; result: Promise<void> } | undefined;
  return () => {
    const now = Date.now();
    if (last === undefined || now - last.at >= CACHE_MS) last = { at: now, result: check() };
    return last.result;
  };
}

// @rampart/health: five cached readiness checks behind healthHandler.
const health = createHealth();
for (const name of CHECKS) health.add(name, dependency, { cacheMs: CACHE_MS });
const readiness = healthHandler(health, { group: 'readiness' });

// terminus: the same path on a server, the checks cached by hand, the server not listening.
const server = createServer((_request, response) => {
  response.statusCode = 404;
  response.end();
});
const terminusChecks = CHECKS.map((name) => ({ name, check: cachedByHand(dependency) }));
createTerminus(server, {
  healthChecks: {
    '/readyz': async () => {
      await Promise.all(terminusChecks.map(({ check }) => check()));
      return Object.fromEntries(CHECKS.map((name) => [name, 'ok']));
    },
  },
  signals: [],
  signal: 'SIGUSR2', // never sent: the benchmark must not trap SIGTERM
  logger: () => {},
});
const terminusListener = server.listeners('request')[0] as (
  request: IncomingMessage,
  response: ServerResponse,
) => unknown;

async function probe(handle: (request: IncomingMessage, response: ServerResponse) => unknown) {
  const { request, response, done } = probeExchange('/readyz');
  handle(request, response);
  const status = await done;
  if (status !== 200) throw new Error(`probe answered ${status}`);
}

// Warm both caches and check both answer 200 before timing.
await probe(readiness);
await probe(terminusListener);

const result = await compare('one readiness probe, five cached checks', {
  baseline: '@godaddy/terminus',
  cases: [
    { name: '@godaddy/terminus', fn: () => probe(terminusListener) },
    { name: '@rampart/health healthHandler', fn: () => probe(readiness) },
  ],
});

const rampart = result.rows.find((row) => row.name.startsWith('@rampart'));
await report('health.probe', {
  title: '@rampart/health: cost of a readiness probe',
  rerun: 'pnpm bench health',
})
  .text(
    'One readiness probe answered in process with five checks whose results are cached: ' +
      '`healthHandler` over a registry with `cacheMs`, against `@godaddy/terminus` on the same ' +
      'path with the same five checks cached by hand (terminus has no cache of its own). Both ' +
      'write to the same stand-in response, so sockets and the kernel are not measured. ' +
      'Rampart also computes the status of each check, their criticality and timestamps, and ' +
      'answers `application/health+json`.',
  )
  .compareTable(result)
  .text(
    `Rampart answers ${ratio(rampart?.relativeToBaseline ?? Number.NaN)} as many probes per ` +
      'second as terminus.',
  )
  .write();
