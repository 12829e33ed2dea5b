import { invalidArgument, type ValidationError } from '@rampart/errors';
import type { Aggregator, Clock, ExpositionFormat, LabelValues, MetricType } from '../types.ts';
import { familyHeader } from './exposition-text.ts';
import type { ExpositionWriter } from './exposition-writer.ts';
import type { PromLabels, PromMetricData, PromSample } from './prom-client-data.ts';
import { type IndexedSeries, OVERFLOW_LABEL, SeriesIndex } from './series-index.ts';

/** The signal of collects run by prom-client's own `get()`: nobody can abort it. */
export const NEVER_ABORTED: AbortSignal = new AbortController().signal;

/** Marks Rampart metrics in a prom-client registry, across duplicate installs. */
export const METRIC_BRAND: unique symbol = Symbol.for('rampart.metrics.metric.v1');

/** What a metric needs from the instance that created it. */
export interface MetricContext {
  /** The instance's `name`, for events. */
  readonly instanceName: string;
  /** Time for timers. */
  readonly clock: Clock;
  /** Returns the function that counts one observation folded into `metric`'s overflow series. */
  foldCounter(metric: string): () => void;
  /** Called the first time `metric` folds a label set. */
  overflowed(metric: string, maxSeries: number): void;
  /** Called when `metric`'s collect callback fails. */
  collectFailed(metric: string, error: unknown): void;
}

/** Everything that makes two registrations of one name the same metric. */
export interface MetricShape {
  readonly type: MetricType;
  readonly labelNames: readonly string[];
  readonly buckets?: readonly number[];
  readonly percentiles?: readonly number[];
  readonly maxAgeSeconds?: number | undefined;
  readonly ageBuckets?: number | undefined;
  readonly pruneAgedBuckets?: boolean;
  readonly compressCount?: number;
  readonly aggregator: Aggregator;
  readonly collect: ((metric: never, signal: AbortSignal) => unknown) | undefined;
}

/** The common parts of a metric's configuration once parsed. */
export interface BaseMetricOptions {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly maxSeries: number;
  readonly aggregator: Aggregator;
  readonly collect: ((metric: never, signal: AbortSignal) => unknown) | undefined;
}

/** Label pairs of the registry's default labels, for one rendering. */
export type DefaultLabelPairs = readonly (readonly [name: string, escapedValue: string])[];

/** The series state every type shares. */
export class SeriesBase implements IndexedSeries {
  readonly labelValues: readonly string[];
  readonly labelText: string;
  /** Counts a folded observation; set only on the overflow series. */
  readonly fold: (() => void) | undefined;
  detached = false;
  /** prom-client's labels object of this series, built on first use. */
  labels: PromLabels | undefined;

  constructor(labelValues: readonly string[], labelText: string, fold: (() => void) | undefined) {
    this.labelValues = labelValues;
    this.labelText = labelText;
    this.fold = fold;
  }
}

/**
 * A metric registered in a prom-client `Registry`: it answers the registry's `get()` like a
 * prom-client metric and renders itself, in slices, for the Rampart renderer.
 */
export abstract class BaseMetric<Series extends SeriesBase> {
  readonly help: string;
  readonly labelNames: readonly string[];
  readonly aggregator: Aggregator;
  readonly index: SeriesIndex<Series>;
  readonly context: MetricContext;
  abstract readonly type: MetricType;
  protected readonly collectCallback: ((metric: never, signal: AbortSignal) => unknown) | undefined;
  private readonly fullName: string;
  /** prom-client renames OpenMetrics counters in place; the rename lands here, never in `name`. */
  private registryName: string;

  constructor(options: BaseMetricOptions, context: MetricContext) {
    this.fullName = options.name;
    this.registryName = options.name;
    this.help = options.help;
    this.labelNames = options.labelNames;
    this.aggregator = options.aggregator;
    this.collectCallback = options.collect;
    this.context = context;
    const fold = context.foldCounter(options.name);
    this.index = new SeriesIndex<Series>({
      labelNames: options.labelNames,
      maxSeries: options.maxSeries,
      create: (values, text, overflow) =>
        this.createSeries(values, text, overflow ? fold : undefined),
      onFirstOverflow: () => context.overflowed(options.name, options.maxSeries),
    });
  }

  get name(): string {
    return this.fullName;
  }

  set name(value: string) {
    this.registryName = value;
  }

  get maxSeries(): number {
    return this.index.maxSeries;
  }

  get seriesCount(): number {
    return this.index.size;
  }

  /** What makes this metric itself, compared on every get-or-create. */
  shape(): MetricShape {
    return {
      type: this.type,
      labelNames: this.labelNames,
      aggregator: this.aggregator,
      collect: this.collectCallback,
    };
  }

  remove(labels: unknown): void {
    this.index.remove(this.index.valuesOf(labels, `${this.fullName}.remove`));
  }

  reset(): void {
    this.index.clear();
  }

  /**
   * Runs the collect callback; a failure is reported, never thrown. A callback that fails
   * because the scrape was abandoned (`signal` aborted) is not a failure.
   */
  async collect(signal: AbortSignal = NEVER_ABORTED): Promise<void> {
    const callback = this.collectCallback;
    if (callback === undefined) return;
    try {
      await callback(this as never, signal);
    } catch (error) {
      if (!signal.aborted) this.context.collectFailed(this.fullName, error);
    }
  }

  /** prom-client's `Metric.get()`: runs `collect`, then returns the data prom-client renders. */
  async get(): Promise<PromMetricData> {
    await this.collect();
    return await this.data(true);
  }

  /** Renders the family into `writer`, pausing whenever a slice is full. */
  async render(writer: ExpositionWriter, defaults: DefaultLabelPairs): Promise<void> {
    writer.family(this.header(writer.format));
    const regular = defaultPairs(defaults, this.labelNames);
    const overflow = defaultPairs(defaults, [OVERFLOW_LABEL]);
    // Iterating the live set is safe: a series removed meanwhile is skipped, not revisited.
    for (const series of this.index.all()) {
      const pairs = series.fold === undefined ? regular : overflow;
      const rendered = this.renderSeries(series, pairs, writer.format);
      const text = typeof rendered === 'string' ? rendered : await rendered;
      if (text === '') continue;
      if (writer.write(text, this.samplesPerSeries)) await writer.pause();
    }
  }

  protected abstract readonly samplesPerSeries: number;
  protected abstract createSeries(
    values: readonly string[],
    labelText: string,
    fold: (() => void) | undefined,
  ): Series;
  /**
   * The sample lines of one series, each ending in a line feed (`''` to skip the series);
   * `defaults` holds the default label pairs that apply to it.
   */
  protected abstract renderSeries(
    series: Series,
    defaults: string,
    format: ExpositionFormat,
  ): string | Promise<string>;
  protected abstract samples(splay: boolean): PromSample[] | Promise<PromSample[]>;

  protected header(format: ExpositionFormat): string {
    return familyHeader(this.fullName, this.help, this.type, format);
  }

  protected async data(splay: boolean): Promise<PromMetricData> {
    return {
      name: this.registryName,
      help: this.help,
      type: this.type,
      values: await this.samples(splay),
      aggregator: this.aggregator,
    };
  }

  /** prom-client's labels object of a series. */
  protected labelsOf(series: Series): PromLabels {
    if (series.labels !== undefined) return series.labels;
    const labels: PromLabels = {};
    if (series.fold !== undefined) {
      labels[OVERFLOW_LABEL] = 'true';
    } else {
      this.labelNames.forEach((name, index) => {
        labels[name] = series.labelValues[index] ?? '';
      });
    }
    series.labels = labels;
    return labels;
  }

  /**
   * A timer started now: calling it records the seconds elapsed on the metric's clock
   * through `record` (with the start and end labels merged when the metric has labels).
   */
  protected timer(
    labels: Partial<LabelValues<string>> | undefined,
    record: (first: unknown, second?: unknown) => void,
  ): (endLabels?: Partial<LabelValues<string>>) => number {
    const clock = this.context.clock;
    const startMs = clock.now();
    return (endLabels) => {
      const seconds = (clock.now() - startMs) / 1000;
      if (this.labelNames.length === 0) record(seconds);
      else record({ ...labels, ...endLabels }, seconds);
      return seconds;
    };
  }
}

Object.defineProperty(BaseMetric.prototype, METRIC_BRAND, { value: true });

/** The default label pairs not overridden by one of `names`, joined: `env="prod",region="eu"`. */
export function defaultPairs(defaults: DefaultLabelPairs, names: readonly string[]): string {
  let text = '';
  for (const [name, value] of defaults) {
    if (names.includes(name)) continue;
    text += text === '' ? `${name}="${value}"` : `,${name}="${value}"`;
  }
  return text;
}

/** The {@link ValidationError} of a bad recorded value, cheap to build (no stack). */
export function badValue(where: string, expectation: string, value: unknown): ValidationError {
  return invalidArgument(where, 'value', expectation, value);
}
