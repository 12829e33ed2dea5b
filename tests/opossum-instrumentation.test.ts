/**
 * An opossum 10 breaker instrumented with `instrumentOpossum` is seen by `instrument()` and
 * `logEvents()` exactly as a Rampart breaker is: the same metrics and the same log events.
 */
import { createRequire } from 'node:module';
import {
  instrumentOpossum,
  type OpossumBreakerLike,
  toRampartError,
} from '@rampart/circuit-breaker/opossum';
import { CircuitOpenError } from '@rampart/errors';
import { closeLogger, createLogger, logEvents } from '@rampart/logger';
import { createMetrics, instrument, instrumentMetricNames as names } from '@rampart/metrics';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

interface Opossum extends OpossumBreakerLike {
  fire(...args: unknown[]): Promise<unknown>;
  shutdown(): void;
}
const CircuitBreaker = createRequire(import.meta.url)('opossum') as new (
  action: () => Promise<unknown>,
  options: Record<string, unknown>,
) => Opossum;

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Reads `name{labels} value` from a Prometheus scrape; 0 when the series is absent. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([label, value]) => `${label}="${value}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const parts = line.slice(name.length + 1, line.lastIndexOf('}')).split(',');
    if (parts.length === wanted.length && wanted.every((pair) => parts.includes(pair))) {
      return Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return 0;
}

describe('an instrumented opossum breaker', () => {
  it('shows up in instrument() metrics and logEvents() lines like a Rampart breaker', async () => {
    const metrics = createMetrics({ name: 'service' });
    const stopInstrumenting = instrument(metrics);
    const records: Record<string, unknown>[] = [];
    const logger = createLogger({
      name: 'service',
      destination: {
        stream: {
          write(line: string) {
            records.push(JSON.parse(line) as Record<string, unknown>);
          },
        },
      },
    });
    const stopLogging = logEvents(logger, { minIntervalMs: 10_000 });

    let healthy = false;
    const breaker = new CircuitBreaker(
      () => (healthy ? Promise.resolve('ok') : Promise.reject(new Error('inventory down'))),
      { name: 'inventory', resetTimeout: 1_000, volumeThreshold: 2, enableSnapshots: false },
    );
    const stop = instrumentOpossum(breaker);
    await breaker.fire().catch(() => undefined);
    await breaker.fire().catch(() => undefined);
    const rejected = await breaker.fire().catch((error: unknown) => toRampartError(error, breaker));
    expect(rejected).toBeInstanceOf(CircuitOpenError);
    await vi.advanceTimersByTimeAsync(1_000);
    healthy = true;
    await breaker.fire();

    const scrape = await metrics.render();
    const breakerState = { name: 'inventory' };
    expect(sample(scrape, names.circuitBreakerState, breakerState)).toBe(0);
    for (const [from, to] of [
      ['closed', 'open'],
      ['open', 'half-open'],
      ['half-open', 'closed'],
    ] as const) {
      expect(
        sample(scrape, names.circuitBreakerTransitions, { ...breakerState, from, to }),
        `${from} → ${to}`,
      ).toBe(1);
    }
    expect(
      sample(scrape, names.circuitBreakerRejections, { ...breakerState, reason: 'open' }),
    ).toBe(1);
    expect(
      sample(scrape, `${names.circuitBreakerCallDuration}_count`, {
        ...breakerState,
        outcome: 'failure',
      }),
    ).toBe(2);
    expect(records.map((record) => record.event)).toEqual([
      'circuit-breaker.opened',
      'circuit-breaker.half-open',
      'circuit-breaker.closed',
    ]);
    expect(records[0]).toMatchObject({ level: 40, breaker: 'inventory' });

    stop();
    breaker.shutdown();
    stopLogging();
    stopInstrumenting();
    await metrics.close();
    await closeLogger(logger);
  });
});
