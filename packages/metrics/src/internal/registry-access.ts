/**
 * What Rampart reads from and writes to a prom-client `Registry`. The registry stays
 * prom-client's: Rampart metrics are registered with `registerMetric`, and anything else
 * registered there (default metrics, your own prom-client metrics) is scraped too.
 */
import type { Registry, RegistryContentType } from 'prom-client';
import { type BaseMetric, METRIC_BRAND, type SeriesBase } from './base-metric.ts';
import type { PromMetricLike } from './prom-client-data.ts';

/** A prom-client registry, Prometheus or OpenMetrics typed. */
export type PromRegistry = Registry<RegistryContentType>;

/** Any Rampart metric. */
export type AnyMetric = BaseMetric<SeriesBase>;

/** True for metrics created by `@rampart/metrics` (this copy or another one of the same major). */
export function isRampartMetric(value: unknown): value is AnyMetric {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [METRIC_BRAND]?: unknown })[METRIC_BRAND] === true
  );
}

/** Every metric in the registry, in registration order. */
export function registeredMetrics(registry: PromRegistry): readonly (PromMetricLike | AnyMetric)[] {
  return registry.getMetricsAsArray() as unknown as readonly (PromMetricLike | AnyMetric)[];
}

/** The metric registered under `name`, whatever made it. */
export function registeredMetric(registry: PromRegistry, name: string): unknown {
  return registry.getSingleMetric(name);
}

/** Registers a Rampart metric, which prom-client then scrapes through its `get()`. */
export function registerMetric(registry: PromRegistry, metric: AnyMetric): void {
  registry.registerMetric(metric as unknown as Parameters<PromRegistry['registerMetric']>[0]);
}

/**
 * The registry's default labels. prom-client keeps them in `_defaultLabels` (versions 11 to
 * 15) and offers no getter; when that field is missing, the labels Rampart set are used.
 */
export function defaultLabelsOf(registry: PromRegistry): Readonly<Record<string, string>> {
  const stored: unknown = Reflect.get(registry, '_defaultLabels');
  const labels =
    typeof stored === 'object' && stored !== null ? stored : (knownDefaults.get(registry) ?? {});
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(labels)) {
    if (typeof value === 'string' || typeof value === 'number') result[name] = String(value);
  }
  return result;
}

const knownDefaults = new WeakMap<PromRegistry, Readonly<Record<string, string>>>();

/** Adds default labels to the registry, keeping those already set. */
export function addDefaultLabels(
  registry: PromRegistry,
  labels: Readonly<Record<string, string>>,
): void {
  if (Object.keys(labels).length === 0) return;
  const merged = { ...defaultLabelsOf(registry), ...labels };
  registry.setDefaultLabels(merged);
  knownDefaults.set(registry, merged);
}
