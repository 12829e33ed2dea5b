import { randomBytes } from 'node:crypto';
import type { ServiceOptions } from './config.ts';
import { startService } from './service.ts';

/** One request of the self-check and what to print of its response. */
interface Step {
  readonly title: string;
  readonly method?: string;
  readonly path: string;
  readonly body?: unknown;
  readonly admin?: boolean;
  readonly show: readonly string[];
}

const steps: readonly Step[] = [
  { title: 'liveness', path: '/healthz', show: [] },
  { title: 'readiness', path: '/readyz', show: [] },
  { title: 'a product, first time', path: '/api/products/p-7', show: ['x-cache', 'ratelimit'] },
  { title: 'the same product again', path: '/api/products/p-7', show: ['x-cache', 'ratelimit'] },
  {
    title: 'a quote',
    method: 'POST',
    path: '/api/quotes',
    body: { productId: 'p-7', quantity: 3 },
    show: ['x-cache'],
  },
  {
    title: 'an invalid quote',
    method: 'POST',
    path: '/api/quotes',
    body: { productId: 'p-7', quantity: 0 },
    show: ['content-type'],
  },
  { title: 'an unknown product', path: '/api/products/p-999', show: ['content-type'] },
  {
    title: 'the upstream goes down (admin)',
    method: 'PUT',
    path: '/admin/upstream',
    body: { outage: 'errors' },
    admin: true,
    show: [],
  },
  { title: 'a cached product', path: '/api/products/p-7', show: ['x-cache'] },
  { title: 'an uncached product', path: '/api/products/p-8', show: ['retry-after'] },
  { title: 'a wrong method', method: 'DELETE', path: '/api/quotes', show: ['allow'] },
];

/**
 * Starts the service on a free port, sends a handful of requests that show each layer at
 * work, prints what a client sees, and shuts down: what `start` does under `SMOKE=1` or
 * with `--once`, so CI can check the example in seconds.
 */
export async function runSelfCheck(options: ServiceOptions): Promise<void> {
  const adminToken = randomBytes(24).toString('base64url');
  const logLines: string[] = [];
  const service = await startService({
    ...options,
    port: 0,
    adminToken,
    // Kept for the summary instead of interleaving with it.
    logDestination: { stream: { write: (line: string) => logLines.push(line) } },
    processMetrics: false,
    upstream: { errorRate: 0, ...options.upstream },
    retry: { retries: 1, maxElapsedMs: 500 },
  });
  console.log(`hardened-service self-check against ${service.url}\n`);
  try {
    for (const step of steps) {
      const headers: Record<string, string> = {};
      if (step.body !== undefined) headers['content-type'] = 'application/json';
      if (step.admin === true) headers.authorization = `Bearer ${adminToken}`;
      const response = await fetch(`${service.url}${step.path}`, {
        method: step.method ?? 'GET',
        headers,
        ...(step.body === undefined ? {} : { body: JSON.stringify(step.body) }),
        signal: AbortSignal.timeout(5_000),
      });
      const text = await response.text();
      console.log(`${step.title}: ${step.method ?? 'GET'} ${step.path} → ${response.status}`);
      for (const name of step.show) {
        const value = response.headers.get(name);
        if (value !== null) console.log(`  ${name}: ${value}`);
      }
      console.log(`  ${text.length > 160 ? `${text.slice(0, 157)}...` : text}`);
    }
    const scrape = await (await fetch(`${service.url}/metrics`)).text();
    const series = scrape.split('\n').filter((line) => /^rampart_|^http_server/.test(line));
    console.log(`\n/metrics: ${series.length} Rampart and HTTP series, for example:`);
    for (const line of series.filter((line) =>
      /^rampart_(circuit_breaker_state|cache_hits|retry_retries|rate_limiter_decisions)/.test(line),
    )) {
      console.log(`  ${line}`);
    }
  } finally {
    await service.close();
  }
  const entries = logLines.map((line) => JSON.parse(line) as { msg: string; requestId?: string });
  console.log(`\n${entries.length} log lines, for example:`);
  for (const entry of entries.filter(
    (entry, index) => index < 2 || entry.msg.startsWith('shutdown'),
  )) {
    console.log(`  ${entry.requestId === undefined ? '' : `[${entry.requestId}] `}${entry.msg}`);
  }
}
