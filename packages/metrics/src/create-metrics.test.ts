import { fileURLToPath } from 'node:url';
import { runToExit } from '@rampart/test-harness';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { createMetrics } from './index.ts';
import { internalsOf } from './internal/lifecycle.ts';
import { configurationErrorOf } from './test-support/errors.ts';
import { sampleValue } from './test-support/exposition-parser.ts';
import { scrape } from './test-support/scrape.ts';

describe('createMetrics', () => {
  it('makes its own registry, named instances and no prefix by default', () => {
    const metrics = createMetrics();
    expect(metrics.registry).toBeInstanceOf(Registry);
    expect(metrics.name).toBe('metrics');
    expect(createMetrics().registry).not.toBe(metrics.registry);
  });

  it('adds default labels to every series at scrape time, keeping the registry’s own', async () => {
    const registry = new Registry();
    registry.setDefaultLabels({ region: 'eu' });
    const metrics = createMetrics({ registry, defaultLabels: { service: 'checkout', version: 3 } });
    metrics
      .counter({ name: 'jobs_total', help: 'Jobs.', labelNames: ['service'] })
      .inc({ service: 'own' });
    const families = await scrape(metrics);
    expect(
      sampleValue(families, 'jobs_total', 'jobs_total', {
        service: 'own',
        region: 'eu',
        version: '3',
      }),
    ).toBe(1);
  });

  it('names every invalid option', () => {
    const error = configurationErrorOf(() =>
      createMetrics({
        registry: {} as Registry,
        prefix: '1x',
        maxSeriesPerMetric: 0,
        defaultLabels: { 'bad-name': 'x' },
        collectDefaultMetrics: 'yes' as unknown as boolean,
        clock: {} as { now(): number },
      }),
    );
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(
      [
        'clock',
        'collectDefaultMetrics',
        'defaultLabels["bad-name"]',
        'maxSeriesPerMetric',
        'prefix',
        'registry',
      ].sort(),
    );
    expect(error.message).toMatch(/^createMetrics: /);
    expect(error.message).toMatch(/`registry` must be a prom-client Registry/);
    expect(error.message).toMatch(/`maxSeriesPerMetric` must be a positive integer \(got 0\)/);
    expect(configurationErrorOf(() => createMetrics({ defaultLabels: { le: '1' } })).message).toBe(
      'createMetrics: `defaultLabels` must not use a reserved label name (le, quantile, overflow) (got an object)',
    );
    expect(configurationErrorOf(() => createMetrics({ nmae: 'x' } as never)).message).toBe(
      'createMetrics: `nmae` is not a known option',
    );
  });

  it('refuses a registry where other code holds a self-metric name', async () => {
    const registry = new Registry();
    const { Counter } = await import('prom-client');
    new Counter({ name: 'rampart_metrics_overflow_total', help: 'x', registers: [registry] });
    expect(configurationErrorOf(() => createMetrics({ registry })).message).toMatch(
      /^createMetrics: `rampart_metrics_overflow_total` is already registered in this registry by code that does not use @rampart\/metrics/,
    );
  });

  it('closes idempotently, runs deferred cleanups once, and keeps its metrics working', async () => {
    const metrics = createMetrics();
    const cleanup = vi.fn();
    internalsOf(metrics, 'test').lifecycle.defer(cleanup);
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.' });
    await metrics.close();
    await metrics[Symbol.asyncDispose]();
    expect(cleanup).toHaveBeenCalledTimes(1);
    jobs.inc();
    expect(sampleValue(await scrape(metrics), 'jobs_total')).toBe(1);
    const late = vi.fn();
    internalsOf(metrics, 'test').lifecycle.defer(late);
    await Promise.resolve();
    expect(late).toHaveBeenCalledTimes(1);
  });

  it('lets the process exit on its own after close, default metrics and a served scrape included', async () => {
    const script = fileURLToPath(new URL('./test-support/exit-after-close.ts', import.meta.url));
    const result = await runToExit(process.execPath, ['--conditions=@rampart/source', script], {
      timeoutMs: 20_000,
    });
    expect(result.stderr).toBe('');
    expect(result.timedOut).toBe(false);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/scraped \d+ bytes/);
  });
});
