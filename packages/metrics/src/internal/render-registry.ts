/**
 * Renders a whole prom-client registry, Rampart metrics and others alike, in the order
 * prom-client would. First every `collect` runs, concurrently as prom-client runs them;
 * then families are written one after another in slices of about
 * {@link SAMPLES_PER_SLICE} samples with a turn of the event loop between slices, where
 * prom-client's `registry.metrics()` renders each family, however large, in one go.
 */
import type { ExpositionFormat } from '../types.ts';
import type { DefaultLabelPairs } from './base-metric.ts';
import { escapeLabelValue } from './exposition-text.ts';
import { ExpositionWriter, SAMPLES_PER_SLICE } from './exposition-writer.ts';
import type { PromMetricData, PromMetricLike } from './prom-client-data.ts';
import {
  type AnyMetric,
  defaultLabelsOf,
  isRampartMetric,
  type PromRegistry,
  registeredMetrics,
} from './registry-access.ts';
import { renderForeign } from './render-foreign.ts';

/** What a rendering produced and what it cost. */
export interface RenderedScrape {
  readonly text: string;
  readonly families: number;
  readonly samples: number;
  /** Longest stretch without yielding to the event loop, in milliseconds. */
  readonly longestSliceMs: number;
}

/** Options of {@link renderRegistry}. */
export interface RegistryRenderOptions {
  /** Called when a metric's `collect` fails: Rampart metrics report it themselves. */
  readonly collectFailed: (metric: string, error: unknown) => void;
  /** Samples per slice; tests lower it to see the pauses. */
  readonly samplesPerSlice?: number;
  /** Stops the rendering at its next pause; passed on to collect callbacks. */
  readonly signal?: AbortSignal;
}

type Prepared =
  | { readonly kind: 'rampart'; readonly metric: AnyMetric }
  | { readonly kind: 'foreign'; readonly data: PromMetricData | undefined };

/** Renders every metric of `registry` in `format`. */
export async function renderRegistry(
  registry: PromRegistry,
  format: ExpositionFormat,
  options: RegistryRenderOptions,
): Promise<RenderedScrape> {
  const { signal } = options;
  signal?.throwIfAborted();
  const metrics = registeredMetrics(registry);
  const prepared = await Promise.all(metrics.map((metric) => prepare(metric, options)));
  signal?.throwIfAborted();
  const defaults = defaultLabelsOf(registry);
  const defaultPairs: DefaultLabelPairs = Object.entries(defaults).map(
    ([name, value]) => [name, escapeLabelValue(value)] as const,
  );
  const writer = new ExpositionWriter(format, options.samplesPerSlice ?? SAMPLES_PER_SLICE, signal);
  for (const entry of prepared) {
    if (entry.kind === 'rampart') {
      await entry.metric.render(writer, defaultPairs);
      continue;
    }
    if (entry.data === undefined) continue;
    const { text, samples } = renderForeign(entry.data, format, defaults);
    writer.family('');
    if (writer.write(text, samples)) await writer.pause();
  }
  const text = writer.finish();
  return {
    text,
    families: writer.families,
    samples: writer.samples,
    longestSliceMs: writer.longestSliceMs,
  };
}

async function prepare(
  metric: PromMetricLike | AnyMetric,
  options: RegistryRenderOptions,
): Promise<Prepared> {
  if (isRampartMetric(metric)) {
    await metric.collect(options.signal);
    return { kind: 'rampart', metric };
  }
  try {
    const data =
      typeof metric.getForPromString === 'function'
        ? await metric.getForPromString()
        : await metric.get();
    return { kind: 'foreign', data };
  } catch (error) {
    if (options.signal?.aborted !== true) options.collectFailed(metric.name, error);
    return { kind: 'foreign', data: undefined };
  }
}
