/**
 * What `logEvents()` writes for `@rampart/health`: status changes of probe groups and the
 * phases of a graceful shutdown, from real registries and coordinators.
 */
import { EventEmitter } from 'node:events';
import { createHealth, createShutdown, type ShutdownProcess } from '@rampart/health';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createLogger } from './create-logger.ts';
import { logEvents } from './log-events.ts';
import { capture } from './test-fixtures/capture.ts';

let output: ReturnType<typeof capture>;
let stop: () => void;

beforeEach(() => {
  vi.useFakeTimers();
  output = capture();
  const logger = createLogger({ name: 'api', destination: { stream: output.stream } });
  stop = logEvents(logger);
});

afterEach(() => {
  stop();
  vi.useRealTimers();
});

class FakeProcess extends EventEmitter implements ShutdownProcess {
  readonly exits: number[] = [];
  exit(code: number): void {
    this.exits.push(code);
  }
}

describe('logEvents: health', () => {
  it('logs a group turning fail or warn at warn and passing again at info, not a first pass', async () => {
    let status: 'pass' | 'warn' | 'fail' = 'pass';
    const health = createHealth({ name: 'orders', checks: { db: () => ({ status }) } });
    await health.check('readiness');
    expect(output.records()).toEqual([]);
    status = 'fail';
    await health.check('readiness');
    await health.check('readiness'); // no change, no line
    status = 'warn';
    await health.check('readiness');
    status = 'pass';
    await health.check('readiness');
    expect(output.records().map((line) => [line.event, line.level, line.msg])).toEqual([
      ['health.failing', 40, 'health "orders" readiness pass → fail: db'],
      ['health.warning', 40, 'health "orders" readiness fail → warn: db'],
      ['health.passing', 30, 'health "orders" readiness warn → pass'],
    ]);
  });

  it('logs each shutdown phase once, a failed handler and a forced exit at error', async () => {
    const target = new FakeProcess();
    const shutdown = createShutdown({
      name: 'api',
      process: target,
      drainDelayMs: 100,
      timeoutMs: 1_000,
    });
    shutdown.onShutdown('cache', () => {});
    shutdown.onShutdown('broken', () => {
      throw new Error('close failed');
    });
    shutdown.onShutdown('stuck', () => new Promise(() => {}));
    void shutdown.start('SIGTERM');
    await vi.advanceTimersByTimeAsync(1_000);
    expect(target.exits).toEqual([1]);
    expect(output.records().map((line) => [line.level, line.msg])).toEqual([
      [30, 'shutdown: SIGTERM received; readiness fails from now on'],
      [30, 'shutdown: waiting for load balancers to stop sending traffic'],
      [30, 'shutdown: closed cache'],
      [50, 'shutdown: closing broken failed'],
      [50, 'shutdown forced after 1000 ms; still running: stuck'],
    ]);
    expect(output.records()[3]).toMatchObject({
      handler: 'broken',
      err: { message: 'close failed' },
    });
  });
});
