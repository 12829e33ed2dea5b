import type { Registry, RegistryContentType } from 'prom-client';
import type { Counter, CounterConfig } from './counter.ts';
import type { Gauge, GaugeConfig } from './gauge.ts';
import type { MetricsHandler, MetricsHandlerOptions } from './handler.ts';
import type { Histogram, HistogramConfig } from './histogram.ts';
import type { Summary, SummaryConfig } from './summary.ts';
import type { ActiveWork, TrackOptions } from './track.ts';
import type { Clock, ExpositionFormat, LabelValue } from './types.ts';

/** Options of prom-client's default metrics, as `collectDefaultMetrics` takes them. */
export interface DefaultMetricsOptions {
  /**
   * Resolution of the event-loop delay monitor in milliseconds.
   * @default `10` — prom-client's default.
   */
  readonly eventLoopMonitoringPrecision?: number;
  /**
   * Buckets of `nodejs_gc_duration_seconds`.
   * @default prom-client's `[0.001, 0.01, 0.1, 1, 2, 5]`.
   */
  readonly gcDurationBuckets?: readonly number[];
}

/** Options of `metrics.render()`. */
export interface RenderOptions {
  /**
   * Stops waiting when it aborts: the promise rejects with its reason. The rendering itself
   * (shared with concurrent callers) stops, and collect callbacks see their signal abort,
   * once every caller waiting for it has aborted.
   * @default none — wait for the rendering to finish.
   */
  readonly signal?: AbortSignal;
}

/** How quiet the self-metrics are: see {@link MetricsOptions.selfMetrics}. */
export interface SelfMetricsOptions {
  /**
   * The share of its series budget (0 to 1) a metric must hold before its per-metric
   * self-metrics (`rampart_metrics_series`, `_max_series`, a zero `_overflow_total`) are
   * written; `0` writes them for every metric.
   * @default `0.5` — a metric far from its budget needs no watching, and a scrape before any
   *   traffic stays free of zero lines; half the budget leaves time to alert before folding.
   */
  readonly budgetShare?: number;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /**
   * Names the instance in diagnostics-channel events.
   * @default `'metrics'`
   */
  readonly name?: string;
  /**
   * The prom-client registry to register in. Pass prom-client's global `register` only if
   * you mean to share it with code that uses it.
   * @default a new `Registry` of this instance — the global registry makes tests and hot
   *   reloads collide on "already registered".
   */
  readonly registry?: Registry<RegistryContentType>;
  /**
   * Prepended to the name of every metric created through this instance (presets, pipeline
   * metrics and prom-client's default metrics included; not the `rampart_metrics_*` ones).
   * @default `''` — no prefix.
   */
  readonly prefix?: string;
  /**
   * Labels added to every series of the registry at scrape time (prom-client's
   * `setDefaultLabels`), e.g. `{ service: 'checkout' }`. A series' own label of the same name wins.
   * @default `{}` — none.
   */
  readonly defaultLabels?: Readonly<Record<string, LabelValue>>;
  /**
   * Registers prom-client's default metrics (CPU, memory, event-loop delay, GC, handles),
   * once per registry and prefix.
   * @default `false` — prom-client starts an event-loop delay monitor and a GC observer for
   *   them that cannot be stopped; opt in once per process.
   */
  readonly collectDefaultMetrics?: boolean | DefaultMetricsOptions;
  /**
   * The most label sets a metric holds before folding further ones into its
   * `overflow="true"` series; a metric's own `maxSeries` overrides it.
   * @default `2000` — ample for route × method × status, small enough that one runaway label
   *   cannot take down Prometheus or this process.
   */
  readonly maxSeriesPerMetric?: number;
  /**
   * The `rampart_metrics_*` metrics this package keeps about itself (render time, series,
   * budgets, overflow and collect errors; not those `instrument()` writes): `false` registers none;
   * an object tunes when a metric gets its own self-metric series. Shared by the instances of
   * one registry (the first one's setting holds).
   * @default `true` — on, quiet until there is something to see: a metric gets
   *   `rampart_metrics_series`, `_max_series` and a zero `_overflow_total` series once it holds
   *   half its series budget, and `_collect_errors_total` once its collect callback failed.
   */
  readonly selfMetrics?: boolean | SelfMetricsOptions;
  /**
   * Buckets of the `pipeline_duration_seconds` histogram written by `track`.
   * @default {@link PIPELINE_DURATION_BUCKETS} (5 ms to 5 minutes).
   */
  readonly pipelineBuckets?: readonly number[];
  /**
   * Source of time for timers, `track` and the HTTP preset.
   * @default {@link @rampart/errors!systemClock | systemClock} — the one clock every Rampart
   *   package reads (late-bound `Date.now()`), so an injected or faked clock moves all alike.
   */
  readonly clock?: Clock;
}

/**
 * A set of metrics in one prom-client registry, with get-or-create factories, the scrape
 * handler and pipeline tracking. Create one with {@link createMetrics}.
 */
export interface Metrics {
  /** The instance's name, as given in the options. */
  readonly name: string;
  /** The prom-client registry holding the metrics; `registry.metrics()` works as usual. */
  readonly registry: Registry<RegistryContentType>;
  /**
   * Gets or creates a counter. The same name with the same type and labels (and the same
   * `collect`, `aggregator` when given) returns the existing metric.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the config is invalid or the name is registered with
   *   another shape, or by code not using `@rampart/metrics`.
   */
  counter<const Label extends string = never>(config: CounterConfig<Label>): Counter<Label>;
  /**
   * Gets or creates a gauge (see {@link Metrics.counter} for get-or-create).
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the config is invalid or conflicts with a registered metric.
   */
  gauge<const Label extends string = never>(config: GaugeConfig<Label>): Gauge<Label>;
  /**
   * Gets or creates a histogram (see {@link Metrics.counter}); `buckets`, when given, must
   * match the registered ones.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the config is invalid or conflicts with a registered metric.
   */
  histogram<const Label extends string = never>(config: HistogramConfig<Label>): Histogram<Label>;
  /**
   * Gets or creates a summary (see {@link Metrics.counter}); its quantile options, when
   * given, must match the registered ones.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the config is invalid or conflicts with a registered metric.
   */
  summary<const Label extends string = never>(config: SummaryConfig<Label>): Summary<Label>;
  /**
   * Renders the registry, every metric in it, in one format. Large scrapes pause for the
   * event loop every couple of thousand samples; concurrent calls for one format share a
   * rendering. Records `rampart_metrics_render_duration_seconds`.
   * @param format - default `'prometheus'`.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} (as a rejection) when `format` is unknown; the signal's reason
   *   when it aborts.
   */
  render(format?: ExpositionFormat, options?: RenderOptions): Promise<string>;
  /**
   * A `node:http` handler for `/metrics`: content negotiation, gzip, `GET`/`HEAD` only.
   * @throws {@link @rampart/errors!ConfigurationError | ConfigurationError} when the options are invalid.
   */
  handler(options?: MetricsHandlerOptions): MetricsHandler;
  /**
   * Runs `fn` as one unit of work named `name`: counted in `pipeline_active{pipeline}` while
   * it runs, its duration observed in `pipeline_duration_seconds{pipeline, error_type}` when
   * it returns, resolves, throws or rejects (`error_type` is the Rampart error code, empty on
   * success). Returns what `fn` returns; a promise is followed, not awaited.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `name` is not a non-empty string; whatever `fn` throws.
   */
  track<Result>(name: string, fn: (signal: AbortSignal) => Result, options?: TrackOptions): Result;
  /**
   * Counts a unit of work named `name` in `pipeline_active{pipeline}` until the returned
   * handle is ended or disposed.
   * @throws {@link @rampart/errors!ValidationError | ValidationError} when `name` is not a non-empty string.
   */
  trackActive(name: string): ActiveWork;
  /**
   * Releases what the instance holds (subscriptions of instrumentation); the metrics stay in
   * the registry and keep working. Idempotent.
   */
  close(): Promise<void>;
  /** Same as {@link Metrics.close}, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
}
