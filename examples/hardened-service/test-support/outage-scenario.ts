/**
 * The end-to-end scenario of tests/hardened-service-*.test.ts: the service on a real Redis (a
 * single server or a Cluster) under a steady load, while the upstream fails and recovers and
 * Redis is killed and restarted. It only drives and observes; the suites assert.
 */
import type { ServiceOptions } from '../src/config.ts';
import { type RunningService, startService } from '../src/service.ts';
import {
  createTrafficClient,
  type Load,
  type PromSample,
  parseExposition,
  type Sample,
  startLoad,
  type Worker,
} from '../traffic/index.ts';

/** One JSON log line of the service. */
export interface LogEntry {
  readonly level: number;
  readonly msg: string;
  readonly event?: string;
  readonly [field: string]: unknown;
}

/** A moment of the scenario, with the service's metrics then. */
export interface Checkpoint {
  readonly name:
    | 'healthy'
    | 'breaker-open'
    | 'redis-down'
    | 'breaker-closed'
    | 'redis-back'
    | 'end';
  /** `performance.now()` when it was reached. */
  readonly at: number;
  readonly metrics: readonly PromSample[];
  /** Log lines written up to then. */
  readonly logCount: number;
  /** The body of `/readyz` then (`application/health+json`). */
  readonly readiness: {
    status: string;
    checks: { redis?: { status: string; output?: string }[] };
  };
}

/** What the scenario saw. */
export interface ScenarioObservations {
  readonly samples: readonly Sample[];
  readonly checkpoints: readonly Checkpoint[];
  readonly logs: readonly LogEntry[];
  readonly unhandled: readonly unknown[];
  /** How long `close()` took, in milliseconds. */
  readonly closeMs: number;
  readonly config: RunningService['config'];
  readonly floodClient: string;
  readonly normalClients: readonly string[];
}

/** How to break and mend the Redis the service uses. */
export interface RedisFaults {
  kill(): Promise<void>;
  restart(): Promise<void>;
}

export const FLOOD_CLIENT = '198.51.100.66';
export const NORMAL_CLIENTS: readonly string[] = Array.from(
  { length: 8 },
  (_, index) => `203.0.113.${10 + index}`,
);

/** Options of the service under test: short timeouts so each phase takes about a second. */
export function scenarioServiceOptions(redis: ServiceOptions): ServiceOptions {
  return {
    ...redis,
    port: 0,
    trustedProxies: ['127.0.0.1'],
    processMetrics: false,
    requestDeadlineMs: 1_500,
    cache: { ttlMs: 500, graceMs: 60_000, softTimeoutMs: 200, hardTimeoutMs: 1_200 },
    breaker: {
      timeoutMs: 500,
      volumeThreshold: 5,
      rollingWindowMs: 5_000,
      resetTimeoutMs: 1_000,
      maxResetTimeoutMs: 2_000,
    },
    retry: { retries: 2, baseDelayMs: 20, maxDelayMs: 200, maxElapsedMs: 1_000 },
    upstream: { latencyMs: 5, jitterMs: 5, errorRate: 0, outage: 'none' },
  };
}

/** Polls `check` every 50 ms until it holds; rejects naming `what` after `timeoutMs`. */
export async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!(await check())) {
    if (performance.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The value of a gauge (summed over series) in a scrape. */
export function gauge(metrics: readonly PromSample[], name: string): number {
  return metrics.filter((sample) => sample.name === name).reduce((sum, s) => sum + s.value, 0);
}

/**
 * Runs the scenario: a load of eight well-behaved clients (four requests a second each, to
 * products and quotes) and one flooder (about 150 a second), then, each step waiting for the
 * service to show the previous one in its metrics: the upstream fails (the breaker opens),
 * Redis is killed (the limiter and the cache fall back), the upstream recovers (the breaker
 * closes), Redis restarts (both return to it); then the load stops and the service closes.
 */
export async function runOutageScenario(
  options: ServiceOptions,
  redis: RedisFaults,
): Promise<ScenarioObservations> {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const logs: LogEntry[] = [];
  const service = await startService({
    ...scenarioServiceOptions(options),
    logDestination: { stream: { write: (line: string) => logs.push(JSON.parse(line)) } },
  });
  const client = createTrafficClient(service.url, { timeoutMs: 10_000 });
  const probe = createTrafficClient(service.url, { timeoutMs: 5_000, maxSockets: 2 });
  const scrape = async (): Promise<PromSample[]> =>
    parseExposition((await probe.send({ path: '/metrics' })).body);
  const checkpoints: Checkpoint[] = [];
  const checkpoint = async (name: Checkpoint['name']): Promise<void> => {
    const ready = await probe.send({ path: '/readyz' });
    checkpoints.push({
      name,
      at: performance.now(),
      metrics: await scrape(),
      logCount: logs.length,
      readiness: JSON.parse(ready.body),
    });
  };
  const metricIs = (name: string, value: number) => async () =>
    gauge(await scrape(), name) === value;
  const floodLimitedSince = (since: number) => (): boolean =>
    load.samples.some(
      (sample) => sample.label === 'flood' && sample.status === 429 && sample.startedAt > since,
    );

  let product = 0;
  const normal = (clientIp: string): Worker => ({
    intervalMs: 250,
    next: () => {
      product = (product % 40) + 1;
      return product % 5 === 0
        ? {
            method: 'POST',
            path: '/api/quotes',
            body: { productId: `p-${product}`, quantity: 2 },
            clientIp,
            label: 'normal',
          }
        : { path: `/api/products/p-${product}`, clientIp, label: 'normal' };
    },
  });
  const flooder: Worker = {
    intervalMs: 25,
    next: () => ({ path: '/api/products/p-1', clientIp: FLOOD_CLIENT, label: 'flood' }),
  };
  const load: Load = startLoad(client, [
    ...NORMAL_CLIENTS.map(normal),
    flooder,
    flooder,
    flooder,
    flooder,
  ]);
  let closeMs = Number.NaN;
  try {
    await until('the load is under way', () => load.samples.length > 200, 5_000);
    await checkpoint('healthy');

    service.upstream.update({ outage: 'errors' });
    await until('the breaker opened', metricIs('rampart_circuit_breaker_state', 1), 5_000);
    await checkpoint('breaker-open');

    await redis.kill();
    await until(
      'the limiter and the cache fell back',
      async () => {
        const metrics = await scrape();
        return (
          gauge(metrics, 'rampart_rate_limiter_fallback_active') === 1 &&
          gauge(metrics, 'rampart_cache_l2_cooling_down') === 1
        );
      },
      10_000,
    );
    await checkpoint('redis-down');
    const downAt = performance.now();
    await until('the fallback limits the flooder', floodLimitedSince(downAt), 5_000);

    service.upstream.update({ outage: 'none' });
    await until('the breaker closed', metricIs('rampart_circuit_breaker_state', 0), 5_000);
    await checkpoint('breaker-closed');

    await redis.restart();
    await until(
      'the limiter and the cache use Redis again',
      async () => {
        const metrics = await scrape();
        return (
          gauge(metrics, 'rampart_rate_limiter_fallback_active') === 0 &&
          gauge(metrics, 'rampart_cache_l2_cooling_down') === 0
        );
      },
      15_000,
    );
    const backAt = performance.now();
    await until(
      'a second of traffic on the restarted Redis',
      () => performance.now() - backAt > 1_000,
      2_000,
    );
    await checkpoint('redis-back');
  } finally {
    await load.stop();
    await checkpoint('end').catch(() => {});
    client.close();
    probe.close();
    const started = performance.now();
    await service.close();
    closeMs = performance.now() - started;
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
  }
  return {
    samples: load.samples,
    checkpoints,
    logs,
    unhandled,
    closeMs,
    config: service.config,
    floodClient: FLOOD_CLIENT,
    normalClients: NORMAL_CLIENTS,
  };
}
