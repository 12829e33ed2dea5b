import type { ExpositionFormat } from './types.ts';

/**
 * The `Content-Type` of each exposition format: the Prometheus text format 0.0.4 and
 * OpenMetrics 1.0.0, the same strings as prom-client's `Registry.PROMETHEUS_CONTENT_TYPE`
 * and `Registry.OPENMETRICS_CONTENT_TYPE`.
 */
export const expositionContentTypes: {
  readonly prometheus: 'text/plain; version=0.0.4; charset=utf-8';
  readonly openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8';
} = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
} as const;

interface MediaRange {
  readonly type: string;
  readonly subtype: string;
  readonly version: string | undefined;
  readonly quality: number;
}

/** How precisely a media range names a format: higher wins; -1 does not match. */
type Precision = -1 | 0 | 1 | 2 | 3;

/**
 * Picks the format to answer a scrape with from its `Accept` header (RFC 9110 proactive
 * negotiation with quality values). OpenMetrics is chosen when the client ranks
 * `application/openmetrics-text` (version 1.0.0, 0.0.1 or none) above the Prometheus text
 * format, as Prometheus does; everything else, a missing header and a header naming neither
 * format included, gets the Prometheus text format, which every scraper reads.
 *
 * @example
 * ```ts
 * import { negotiateExpositionFormat } from '@rampart/metrics';
 *
 * negotiateExpositionFormat('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5');
 * // 'openmetrics'
 * negotiateExpositionFormat(undefined); // 'prometheus'
 * ```
 */
export function negotiateExpositionFormat(
  accept: string | readonly string[] | undefined,
): ExpositionFormat {
  if (accept === undefined) return 'prometheus';
  const ranges = parseAccept(typeof accept === 'string' ? accept : accept.join(','));
  const openMetrics = bestMatch(ranges, openMetricsPrecision);
  const prometheus = bestMatch(ranges, prometheusPrecision);
  if (openMetrics.quality > prometheus.quality) return 'openmetrics';
  if (openMetrics.quality === prometheus.quality && openMetrics.quality > 0) {
    return openMetrics.precision > prometheus.precision ? 'openmetrics' : 'prometheus';
  }
  return 'prometheus';
}

function openMetricsPrecision(range: MediaRange): Precision {
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== 'application') return -1;
  if (range.subtype === '*') return 1;
  if (range.subtype !== 'openmetrics-text') return -1;
  if (range.version === undefined) return 2;
  return range.version === '1.0.0' || range.version === '0.0.1' ? 3 : -1;
}

function prometheusPrecision(range: MediaRange): Precision {
  if (range.type === '*' && range.subtype === '*') return 0;
  if (range.type !== 'text') return -1;
  if (range.subtype === '*') return 1;
  if (range.subtype !== 'plain') return -1;
  return range.version === '0.0.4' ? 3 : 2;
}

/** The quality of the most precise range matching a format (RFC 9110 §12.5.1). */
function bestMatch(
  ranges: readonly MediaRange[],
  precisionOf: (range: MediaRange) => Precision,
): { quality: number; precision: number } {
  let best = { quality: 0, precision: -1 };
  for (const range of ranges) {
    const precision = precisionOf(range);
    if (precision > best.precision) best = { quality: range.quality, precision };
  }
  return best;
}

function parseAccept(header: string): MediaRange[] {
  const ranges: MediaRange[] = [];
  for (const part of header.split(',')) {
    const [media = '', ...parameters] = part.split(';');
    const [type, subtype] = media.trim().toLowerCase().split('/');
    if (type === undefined || type === '' || subtype === undefined || subtype === '') continue;
    let quality = 1;
    let version: string | undefined;
    let valid = true;
    for (const parameter of parameters) {
      const separator = parameter.indexOf('=');
      if (separator < 0) continue;
      const key = parameter.slice(0, separator).trim().toLowerCase();
      const value = parameter
        .slice(separator + 1)
        .trim()
        .replace(/^"(.*)"$/, '$1');
      if (key === 'q') {
        quality = /^(?:0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$/.test(value) ? Number(value) : Number.NaN;
        if (Number.isNaN(quality)) valid = false;
      } else if (key === 'version') {
        version = value;
      }
    }
    if (valid) ranges.push({ type, subtype, version, quality });
  }
  return ranges;
}
