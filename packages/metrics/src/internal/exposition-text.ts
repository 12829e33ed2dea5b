/**
 * Escaping and number formatting of the Prometheus text format 0.0.4 and OpenMetrics 1.0.0,
 * written as prom-client writes them, with two fixes: `NaN` is spelled `NaN` (prom-client
 * writes `Nan`), and OpenMetrics help texts escape `"` as the OpenMetrics grammar requires.
 */
import type { ExpositionFormat } from '../types.ts';

const NEEDS_LABEL_ESCAPE = /[\\\n"]/;

/** Escapes a label value: backslash, line feed and double quote. */
export function escapeLabelValue(value: string): string {
  if (!NEEDS_LABEL_ESCAPE.test(value)) return value;
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

/** Escapes a help text: backslash and line feed, plus double quote in OpenMetrics. */
export function escapeHelp(help: string, format: ExpositionFormat): string {
  const escaped = help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
  return format === 'openmetrics' ? escaped.replace(/"/g, '\\"') : escaped;
}

/** A sample value as the exposition formats spell it: `1.5`, `+Inf`, `-Inf`, `NaN`. */
export function formatValue(value: number): string {
  if (Number.isFinite(value)) return String(value);
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '+Inf' : '-Inf';
}

/**
 * `name="value"` pairs joined by commas, values escaped; `''` for no labels. Built with
 * `join`, which makes one flat string: a series keeps its text for life, and a string built
 * by `+=` would keep every intermediate piece alive as a rope.
 */
export function labelPairs(names: readonly string[], values: readonly string[]): string {
  return names.map((name, index) => `${name}="${escapeLabelValue(values[index] ?? '')}"`).join(',');
}

/** Joins label pair texts, skipping empty ones: `joinPairs('a="1"', '', 'b="2"')` → `a="1",b="2"`. */
export function joinPairs(...parts: readonly string[]): string {
  let text = '';
  for (const part of parts) {
    if (part === '') continue;
    text = text === '' ? part : `${text},${part}`;
  }
  return text;
}

/** `{pairs}` or nothing when there are no pairs. */
export function braces(pairs: string): string {
  return pairs === '' ? '' : `{${pairs}}`;
}

/** The family name on `# HELP`/`# TYPE` lines: OpenMetrics counters drop their `_total`. */
export function familyName(name: string, type: string, format: ExpositionFormat): string {
  return format === 'openmetrics' && type === 'counter' ? name.replace(/_total$/, '') : name;
}

/** The `# HELP` and `# TYPE` lines of a metric family, each ending in a line feed. */
export function familyHeader(
  name: string,
  help: string,
  type: string,
  format: ExpositionFormat,
): string {
  const family = familyName(name, type, format);
  return `# HELP ${family} ${escapeHelp(help, format)}\n# TYPE ${family} ${type}\n`;
}
