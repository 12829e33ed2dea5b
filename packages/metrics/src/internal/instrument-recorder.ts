/**
 * What the per-package instrumentations of `instrument()` record through: get-or-create of
 * their metrics with the instance `name` label added or left out, one place for the
 * histogram buckets, and the channel tables they hand back.
 */
import type { Counter } from '../counter.ts';
import type { Gauge } from '../gauge.ts';
import type { Histogram } from '../histogram.ts';
import type { Metrics } from '../metrics.ts';
import type { LabelValue } from '../types.ts';

/** The labels of one recording besides `name`; the recorder may add `name` to the object. */
export type Labels = Record<string, LabelValue>;

/** Adds `value` (default 1) to the series of `instance` and `labels`. */
export type CountFn = (instance: string, labels: Labels, value?: number) => void;
/** Sets the series of `instance` and `labels` to `value`. */
export type SetFn = (instance: string, labels: Labels, value: number) => void;
/** Observes `value` in the series of `instance` and `labels`. */
export type ObserveFn = (instance: string, labels: Labels, value: number) => void;

/** One metric's declaration: its name (before the instance prefix), help and labels other than `name`. */
export interface MetricDeclaration {
  readonly name: string;
  readonly help: string;
  readonly labelNames: readonly string[];
}

/** Get-or-create of instrumentation metrics on one instance. */
export interface Recorder {
  /** Whether series carry the instance's `name` label. */
  readonly nameLabel: boolean;
  counter(declaration: MetricDeclaration): CountFn;
  gauge(declaration: MetricDeclaration): SetFn;
  /** A histogram of durations in seconds, with the instrumentation's buckets. */
  histogram(declaration: MetricDeclaration): ObserveFn;
  /** The metrics made so far: the first one of a package stands for the package. */
  readonly created: readonly object[];
}

/**
 * The listeners of one package, keyed like its `…Channels` object so that a channel added to
 * the package without a listener here fails the type check.
 */
export type ChannelListeners<Channels> = {
  readonly [Key in keyof Channels]: (event: never) => void;
};

/** A package's channels and the listener of each. */
export interface PackageInstrumentation {
  readonly channels: Readonly<Record<string, string>>;
  readonly listeners: Readonly<Record<string, (event: never) => void>>;
}

/** Creates a recorder over `metrics`. */
export function createRecorder(
  metrics: Metrics,
  nameLabel: boolean,
  buckets: readonly number[],
): Recorder {
  const created: object[] = [];
  const configOf = (declaration: MetricDeclaration) => ({
    name: declaration.name,
    help: declaration.help,
    labelNames: nameLabel ? ['name', ...declaration.labelNames] : [...declaration.labelNames],
  });

  /**
   * The function that records into `metric`, just made from `config`: through the bound
   * handle `bind` returns when it has no labels at all, else through `record`, with the
   * instance's `name` label added when series carry it.
   */
  const recording = <Value extends number | undefined>(
    metric: object,
    config: { readonly labelNames: readonly string[] },
    bind: () => (value: Value) => void,
    record: (labels: Labels, value: Value) => void,
  ): ((instance: string, labels: Labels, value: Value) => void) => {
    created.push(metric);
    if (config.labelNames.length === 0) {
      const recordOnly = bind();
      return (_instance, _labels, value) => recordOnly(value);
    }
    return (instance, labels, value) => {
      if (nameLabel) labels.name = instance;
      record(labels, value);
    };
  };

  const recorder: Recorder = {
    nameLabel,
    created,
    counter(declaration) {
      const config = configOf(declaration);
      const metric: Counter<string> = metrics.counter(config);
      return recording<number | undefined>(
        metric,
        config,
        () => {
          const only = metric.bind({});
          return (value) => only.inc(value);
        },
        (labels, value) => metric.inc(labels, value),
      );
    },
    gauge(declaration) {
      const config = configOf(declaration);
      const metric: Gauge<string> = metrics.gauge(config);
      return recording<number>(
        metric,
        config,
        () => {
          const only = metric.bind({});
          return (value) => only.set(value);
        },
        (labels, value) => metric.set(labels, value),
      );
    },
    histogram(declaration) {
      const config = { ...configOf(declaration), buckets };
      const metric: Histogram<string> = metrics.histogram(config);
      return recording<number>(
        metric,
        config,
        () => {
          const only = metric.bind({});
          return (value) => only.observe(value);
        },
        (labels, value) => metric.observe(labels, value),
      );
    },
  };
  return recorder;
}

/** A 0/1 gauge of a condition per instance, which also remembers who is in it. */
export interface ConditionGauge {
  /** Records whether `instance` is in the condition. */
  set(instance: string, active: boolean): void;
  /** Whether `instance` is in the condition, as last recorded. */
  has(instance: string): boolean;
  /** Whether any instance is. */
  readonly any: boolean;
}

/**
 * A gauge that is 1 while an instance is in some condition (a fallback, a cool-down) and 0
 * otherwise. Without the `name` label its one series is 1 while any instance is.
 */
export function conditionGauge(recorder: Recorder, declaration: MetricDeclaration): ConditionGauge {
  const set = recorder.gauge(declaration);
  const active = new Set<string>();
  return {
    set(instance, isActive) {
      if (isActive) active.add(instance);
      else active.delete(instance);
      set(instance, {}, (recorder.nameLabel ? isActive : active.size > 0) ? 1 : 0);
    },
    has: (instance) => active.has(instance),
    get any() {
      return active.size > 0;
    },
  };
}

/** Seconds from milliseconds, for `_seconds` metrics; negative or non-finite readings become 0. */
export function secondsOf(milliseconds: number): number {
  return Number.isFinite(milliseconds) && milliseconds > 0 ? milliseconds / 1000 : 0;
}
