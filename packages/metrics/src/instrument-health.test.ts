/**
 * What `instrument()` records from `@rampart/health`, driven by a real registry and a real
 * shutdown coordinator.
 */
import { EventEmitter } from 'node:events';
import { createHealth, createShutdown, type ShutdownProcess } from '@rampart/health';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createMetrics,
  instrument,
  type Metrics,
  instrumentMetricNames as names,
} from './index.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

let metrics: Metrics;
let stop: () => void;

beforeEach(() => {
  metrics = createMetrics();
  stop = instrument(metrics);
});

afterEach(() => {
  stop();
});

class FakeProcess extends EventEmitter implements ShutdownProcess {
  exit(): void {}
}

describe('instrument: health', () => {
  it('records each check status (pass 0, warn 1, fail 2), its duration and the group status', async () => {
    let database: 'pass' | 'fail' = 'pass';
    const health = createHealth({
      name: 'orders',
      checks: {
        database: () => ({ status: database }),
        search: { check: () => false, critical: false },
      },
    });
    await health.check('readiness');
    let families = await scrape(metrics);
    const status = (check: string) =>
      sampleValue(families, names.healthCheckStatus, names.healthCheckStatus, {
        name: 'orders',
        check,
      });
    expect(status('database')).toBe(0);
    expect(status('search')).toBe(1);
    expect(
      sampleValue(families, names.healthStatus, names.healthStatus, {
        name: 'orders',
        group: 'readiness',
      }),
    ).toBe(1);
    expect(
      sampleValue(families, names.healthCheckDuration, `${names.healthCheckDuration}_count`, {
        name: 'orders',
        check: 'database',
      }),
    ).toBe(1);
    database = 'fail';
    await health.check('readiness');
    families = await scrape(metrics);
    expect(status('database')).toBe(2);
    expect(
      sampleValue(families, names.healthStatus, names.healthStatus, {
        name: 'orders',
        group: 'readiness',
      }),
    ).toBe(2);
  });

  it('counts the phases of a shutdown', async () => {
    const shutdown = createShutdown({ name: 'api', process: new FakeProcess(), drainDelayMs: 0 });
    shutdown.onShutdown('cache', () => {});
    await shutdown.start('test');
    const families = await scrape(metrics);
    for (const phase of ['started', 'handler-started', 'handler-finished', 'completed']) {
      expect(
        sampleValue(families, names.healthShutdownPhases, names.healthShutdownPhases, {
          name: 'api',
          phase,
        }),
        phase,
      ).toBe(1);
    }
  });
});
