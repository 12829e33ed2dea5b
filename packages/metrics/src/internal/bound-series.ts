/**
 * What every bound handle shares: the series it touches directly, looked up again from its
 * label values once the series was removed (`remove()`, `reset()`), and timers on the
 * metric's clock.
 */
import type { MetricContext } from './base-metric.ts';
import type { IndexedSeries, SeriesIndex } from './series-index.ts';

/** What a bound handle needs of its metric. */
export interface BindableMetric<Series extends IndexedSeries> {
  /** For the `where` of validation errors. */
  readonly name: string;
  readonly index: SeriesIndex<Series>;
  readonly context: MetricContext;
}

/**
 * A handle bound to the series of one label set. Hot methods read `current` and check
 * `detached` themselves rather than through a shared accessor, so that each keeps its own
 * monomorphic feedback (a shared accessor, seeing every handle and series class, measured
 * up to a third slower on a bound counter's `inc`).
 */
export abstract class BoundSeries<Series extends IndexedSeries> {
  protected readonly metric: BindableMetric<Series>;
  /** The bound series; once `detached`, call {@link BoundSeries.rebind}. */
  protected current: Series;
  private readonly values: readonly string[];

  constructor(metric: BindableMetric<Series>, values: readonly string[], series: Series) {
    this.metric = metric;
    this.values = values;
    this.current = series;
  }

  /** Binds to the series the label values have now, after the bound one was removed. */
  protected rebind(): Series {
    const fresh = this.metric.index.resolve(this.values);
    this.current = fresh;
    return fresh;
  }

  /** A timer started now: calling it hands the seconds elapsed to `record` and returns them. */
  protected timer(record: (seconds: number) => void): () => number {
    const clock = this.metric.context.clock;
    const startMs = clock.now();
    return () => {
      const seconds = (clock.now() - startMs) / 1000;
      record(seconds);
      return seconds;
    };
  }
}
