/**
 * The scripted client both framework examples play against themselves: a normal call, a
 * burst from one address, a cached call over a blip of the upstream, a not-found, an
 * upstream outage and a scrape of `/metrics`. It returns the report to print.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type CircuitBreakerStateEvent, circuitBreakerChannels } from '@rampart/circuit-breaker';
import type { QuoteUpstream } from './upstream.ts';

/** Plays the scenario against the service at `base`; resolves to the report lines. */
export async function runScenario(
  title: string,
  base: string,
  upstream: QuoteUpstream,
): Promise<string[]> {
  const report: string[] = [`${title} on ${base}`, ''];
  const say = (line: string): void => {
    report.push(line);
  };
  const onState = (message: unknown): void => {
    const { name, from, to, reason } = message as CircuitBreakerStateEvent;
    say(`  [breaker] ${name}: ${from} → ${to} (${reason})`);
  };
  subscribe(circuitBreakerChannels.state, onState);

  /** One request through the (simulated) proxy in front of the service, for client `ip`. */
  async function call(path: string, ip: string): Promise<{ response: Response; body: string }> {
    const response = await fetch(`${base}${path}`, { headers: { 'x-forwarded-for': ip } });
    return { response, body: await response.text() };
  }

  /** A probe as the orchestrator sends it, reported with the checks that are not passing. */
  async function probe(path: string): Promise<void> {
    const response = await fetch(`${base}${path}`);
    const body = (await response.json()) as {
      status: string;
      checks?: Record<string, { status: string; output?: string }[]>;
    };
    const concerns = Object.entries(body.checks ?? {})
      .filter(([, [result]]) => result?.status !== 'pass')
      .map(([name, [result]]) => `${name}: ${result?.output ?? result?.status}`);
    const details = concerns.length === 0 ? '' : ` (${concerns.join('; ')})`;
    say(`  GET ${path} → ${response.status} ${body.status}${details}`);
  }

  const header = (response: Response, name: string): string =>
    `${name}: ${response.headers.get(name) ?? '(none)'}`;

  const alice = '198.51.100.23';
  const flooder = '203.0.113.7';

  say('A normal request');
  {
    const { response, body } = await call('/hello', alice);
    say(`  GET /hello → ${response.status} ${body} (${header(response, 'x-request-id')})`);
  }

  say('Probes (not logged, not limited, not measured)');
  await probe('/livez');
  await probe('/readyz');

  say('A burst of 15 from one address (limit: 10 a minute per address)');
  {
    const answers = await Promise.all(Array.from({ length: 15 }, () => call('/hello', flooder)));
    const count = (status: number): number =>
      answers.filter(({ response }) => response.status === status).length;
    say(`  15 × GET /hello → ${count(200)} × 200, ${count(429)} × 429`);
    const limited = answers.find(({ response }) => response.status === 429);
    if (limited !== undefined) {
      say('  a 429 as the client sees it:');
      for (const name of ['ratelimit-policy', 'ratelimit', 'retry-after', 'content-type']) {
        say(`    ${header(limited.response, name)}`);
      }
      say(`    ${limited.body}`);
    }
    const { response } = await call('/hello', alice);
    say(`  meanwhile another address: GET /hello → ${response.status}`);
  }

  say('A cached endpoint in front of a flaky upstream (retry + circuit breaker)');
  upstream.failNext(1); // the first upstream call fails like a dropped connection
  for (let round = 1; round <= 2; round++) {
    const { response } = await call('/quotes/ACME', alice);
    say(
      `  GET /quotes/ACME → ${response.status}, ${header(response, 'x-cache')}, upstream calls so far: ${upstream.calls}`,
    );
  }

  say('Not found');
  {
    const { response, body } = await call('/nope', alice);
    say(`  GET /nope → ${response.status} ${header(response, 'content-type')}`);
    say(`    ${body}`);
  }

  say('The upstream goes down');
  upstream.setDown(true);
  for (const symbol of ['GLOBEX', 'INITECH']) {
    const before = upstream.calls;
    const { response, body } = await call(`/quotes/${symbol}`, alice);
    const { code } = JSON.parse(body) as { code: string };
    const retryAfter = response.headers.has('retry-after')
      ? `, ${header(response, 'retry-after')}`
      : '';
    say(
      `  GET /quotes/${symbol} → ${response.status} ${code}${retryAfter}, upstream calls: ${upstream.calls - before}`,
    );
  }

  say('Readiness while the circuit is open: degraded, still in rotation');
  await probe('/readyz');

  say('Metrics');
  {
    const { response, body } = await call('/metrics', alice);
    say(`  GET /metrics → ${response.status} ${header(response, 'content-type')}`);
    for (const line of body.split('\n')) {
      if (
        /^(http_server_request_duration_seconds_count|rampart_circuit_breaker_state)\b/.test(line)
      ) {
        say(`    ${line}`);
      }
    }
  }

  unsubscribe(circuitBreakerChannels.state, onState);
  return report;
}
