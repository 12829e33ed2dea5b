/**
 * A `node:http` endpoint answering prompts through three simulated AI providers with
 * @rampart/failover: `alpha` (fast, with a slow tail, hedged at its p90), `beta` (flaky) and
 * `gamma` (rate-limited). A scripted outage takes `alpha` down, brings it back, then takes
 * every provider down, and the client prints which provider served each phase and the
 * latency percentiles it saw. It runs for a few seconds and exits.
 *
 * Run: pnpm --filter @rampart/example-provider-failover start
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { RateLimitedError, toProblemResponse } from '@rampart/errors';
import { createFailover, type FailoverProvider } from '@rampart/failover';
import { outage, received, startProviders } from './providers.ts';

interface Answer {
  readonly provider: string;
  readonly text: string;
}

/** An HTTP error from a provider, carrying its status so failover can classify it. */
class ProviderHttpError extends Error {
  readonly status: number;
  constructor(provider: string, status: number) {
    super(`${provider} answered ${status}`);
    this.name = 'ProviderHttpError';
    this.status = status;
  }
}

const providers = await startProviders();

function provider(name: string): FailoverProvider<string, Answer> {
  return {
    name,
    async call(prompt, { signal }) {
      const response = await fetch(`${providers.base}/${name}`, {
        method: 'POST',
        body: prompt,
        signal,
      });
      const text = await response.text();
      if (response.status === 429) {
        const retryAfterMs = Number(response.headers.get('retry-after-ms') ?? 1_000);
        throw new RateLimitedError(`${name} is rate-limited`, { retryAfterMs });
      }
      if (!response.ok) throw new ProviderHttpError(name, response.status);
      return { provider: name, text };
    },
  };
}

const completions = createFailover<string, Answer>({
  name: 'completions',
  providers: [provider('alpha'), provider('beta'), provider('gamma')],
  // A short window so a provider that goes down is noticed within a second at this traffic.
  breaker: {
    volumeThreshold: 5,
    rollingWindowMs: 1_000,
    resetTimeoutMs: 1_000,
    resetBackoffFactor: 1,
    timeoutMs: 1_000,
  },
  hedge: { delayMs: 'p90', minSamples: 10, maxHedges: 2 },
  // A cached or canned answer beats an error page when every provider is out.
  lastResort: ({ reason }) => ({ provider: 'last-resort', text: `cached answer (${reason})` }),
});

// --- The endpoint: POST /complete answers with the text and says who served it. ----------
const service = createServer((request, response) => {
  completions.execute(request.url ?? '/', { signal: AbortSignal.timeout(2_000) }).then(
    (answer) => {
      response.writeHead(200, { 'content-type': 'text/plain', 'x-served-by': answer.provider });
      response.end(answer.text);
    },
    (error: unknown) => {
      const problem = toProblemResponse(error);
      response.writeHead(problem.status, problem.headers).end(problem.body);
    },
  );
});
await new Promise<void>((resolve) => service.listen(0, '127.0.0.1', resolve));
const endpoint = `http://127.0.0.1:${(service.address() as AddressInfo).port}/complete`;

// --- The client: a phase of requests, then who served them and how fast. ------------------
function percentile(sorted: readonly number[], quantile: number): number {
  return sorted[Math.max(0, Math.ceil(quantile * sorted.length) - 1)] ?? 0;
}

async function phase(title: string, requests: number): Promise<void> {
  const servedBy = new Map<string, number>();
  const latencies: number[] = [];
  for (let index = 0; index < requests; index++) {
    const startedAt = performance.now();
    const response = await fetch(endpoint, { method: 'POST', body: `prompt ${index}` });
    await response.text();
    latencies.push(performance.now() - startedAt);
    const by = response.headers.get('x-served-by') ?? `error ${response.status}`;
    servedBy.set(by, (servedBy.get(by) ?? 0) + 1);
    await sleep(5);
  }
  latencies.sort((a, b) => a - b);
  const shares = [...servedBy].map(([name, count]) => `${name} ${count}`).join(', ');
  const ms = (quantile: number): string => `${Math.round(percentile(latencies, quantile))} ms`;
  console.log(`${title}: served by ${shares}`);
  console.log(`  latency p50 ${ms(0.5)}, p95 ${ms(0.95)}, p99 ${ms(0.99)}`);
}

await phase('1. all healthy', 40);
outage.add('alpha');
await phase('2. alpha down', 30);
console.log(`  alpha's circuit: ${completions.state().providers[0]?.circuit}`);
outage.delete('alpha');
await sleep(1_100); // alpha's reset timeout: the next call is a trial call
await phase('3. alpha back', 30);
for (const name of ['alpha', 'beta', 'gamma']) outage.add(name);
await phase('4. every provider down', 15);

console.log('provider state:');
for (const entry of completions.state().providers) {
  console.log(
    `  ${entry.name}: ${entry.availability} (circuit ${entry.circuit}), ${entry.calls} calls, ` +
      `${entry.failures} failures, p50 ${entry.latencyMs.p50} ms, p95 ${entry.latencyMs.p95} ms`,
  );
}
console.log(
  `requests received: ${[...received].map(([name, count]) => `${name} ${count}`).join(', ')}`,
);

await completions.dispose();
service.close();
providers.server.close();
service.closeAllConnections();
providers.server.closeAllConnections();
console.log('done');
