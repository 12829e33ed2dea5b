/**
 * Renders a metric that is not a Rampart metric (prom-client's default metrics, your own
 * prom-client metrics) from the data its `get()` returned, as prom-client's
 * `Registry#getMetricsAsString` would, in either format, without the two things prom-client
 * gets wrong there: it renames OpenMetrics counters in place (so a later Prometheus scrape
 * shows the wrong name) and writes `NaN` as `Nan`.
 */
import type { ExpositionFormat } from '../types.ts';
import { escapeLabelValue, familyHeader, familyName, formatValue } from './exposition-text.ts';
import type { PromLabels, PromMetricData, PromSample } from './prom-client-data.ts';

/** The text of one family, each line ending in a line feed, and how many samples it holds. */
export function renderForeign(
  data: PromMetricData,
  format: ExpositionFormat,
  defaults: Readonly<Record<string, string>>,
): { text: string; samples: number } {
  const family = familyName(data.name, data.type, format);
  const counterInOpenMetrics = format === 'openmetrics' && data.type === 'counter';
  const hasDefaults = Object.keys(defaults).length > 0;
  let text = familyHeader(data.name, data.help, data.type, format);
  const values = data.values ?? [];
  for (const sample of values) {
    let name = sample.metricName ?? family;
    if (counterInOpenMetrics) name = `${name}_total`;
    const own = sample.labels ?? {};
    const labels = hasDefaults ? { ...own, ...defaults, ...own } : own;
    const shared = sample.sharedLabels ?? {};
    const parts = pairs(labels, shared);
    const sharedText = pairs(shared, undefined).join(',');
    if (sharedText !== '') parts.push(sharedText);
    const braces = parts.length > 0 ? `{${parts.join(',')}}` : '';
    text += `${name}${braces} ${formatValue(sample.value)}${exemplarOf(sample, format)}\n`;
  }
  return { text, samples: values.length };
}

function pairs(labels: PromLabels, exclude: PromLabels | undefined): string[] {
  const result: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (exclude !== undefined && Object.hasOwn(exclude, name)) continue;
    result.push(`${name}="${escapeLabelValue(String(value))}"`);
  }
  return result;
}

function exemplarOf(sample: PromSample, format: ExpositionFormat): string {
  const exemplar = sample.exemplar;
  if (format !== 'openmetrics' || exemplar === undefined || exemplar === null) return '';
  const labels = pairs(exemplar.labelSet, undefined).join(',');
  return ` # {${labels}} ${formatValue(exemplar.value)} ${exemplar.timestamp}`;
}
