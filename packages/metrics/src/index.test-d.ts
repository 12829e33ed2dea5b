import { describe, expectTypeOf, it } from 'vitest';
import {
  type BoundHistogram,
  type Counter,
  createMetrics,
  type Histogram,
  type HttpServerMetricsMiddleware,
  httpServerMetrics,
  type InstrumentedPackage,
  type InstrumentOptions,
  instrument,
  instrumentMetricNames,
  type LabelValues,
  type Metrics,
  type SelfMetricsOptions,
} from './index.ts';

declare const metrics: Metrics;

describe('types', () => {
  it('infers label names from labelNames', () => {
    const latency = metrics.histogram({ name: 'l', help: 'L.', labelNames: ['route', 'method'] });
    expectTypeOf(latency).toEqualTypeOf<Histogram<'route' | 'method'>>();
    expectTypeOf(latency.bind).parameter(0).toEqualTypeOf<LabelValues<'route' | 'method'>>();
    expectTypeOf(latency.bind({ route: '/a', method: 'GET' })).toEqualTypeOf<BoundHistogram>();
    latency.observe({ route: '/a', method: 'GET' }, 0.1);
    // @ts-expect-error a label is missing
    latency.observe({ route: '/a' }, 0.1);
    // @ts-expect-error an unknown label
    latency.observe({ route: '/a', method: 'GET', user: 'u' }, 0.1);
    // @ts-expect-error a labelled metric needs its labels
    latency.observe(0.1);
  });

  it('takes a bare value on metrics without labels', () => {
    const jobs = metrics.counter({ name: 'jobs_total', help: 'Jobs.' });
    expectTypeOf(jobs).toEqualTypeOf<Counter<never>>();
    jobs.inc();
    jobs.inc(2);
    // @ts-expect-error no labels to give
    jobs.inc({ queue: 'a' }, 1);
  });

  it('types collect callbacks with the metric they belong to', () => {
    metrics.gauge({
      name: 'pool',
      help: 'Pool.',
      labelNames: ['pool'],
      collect(gauge) {
        gauge.set({ pool: 'primary' }, 1);
        // @ts-expect-error wrong label
        gauge.set({ other: 'x' }, 1);
      },
    });
  });

  it('returns what the tracked function returns', () => {
    expectTypeOf(metrics.track('a', () => 1)).toEqualTypeOf<number>();
    expectTypeOf(metrics.track('a', async () => 'x')).toEqualTypeOf<Promise<string>>();
  });

  it('builds middleware from a metrics instance', () => {
    expectTypeOf(httpServerMetrics(createMetrics())).toEqualTypeOf<HttpServerMetricsMiddleware>();
  });

  it('instrument returns a disposer and takes known packages only', () => {
    expectTypeOf(instrument(metrics)).toEqualTypeOf<() => void>();
    expectTypeOf<InstrumentOptions['packages']>().toEqualTypeOf<
      readonly InstrumentedPackage[] | undefined
    >();
    instrument(metrics, { packages: ['cache', 'circuit-breaker'], nameLabel: false });
    // @ts-expect-error not a Rampart package
    instrument(metrics, { packages: ['redis'] });
    expectTypeOf(
      instrumentMetricNames.circuitBreakerState,
    ).toEqualTypeOf<'rampart_circuit_breaker_state'>();
  });
  it('self-metrics can be tuned or turned off', () => {
    createMetrics({ selfMetrics: false });
    createMetrics({ selfMetrics: { budgetShare: 0.8 } });
    expectTypeOf<SelfMetricsOptions['budgetShare']>().toEqualTypeOf<number | undefined>();
    // @ts-expect-error not an option of selfMetrics
    createMetrics({ selfMetrics: { share: 1 } });
  });
});
