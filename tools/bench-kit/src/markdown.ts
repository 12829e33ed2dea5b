import type { CompareResult } from './compare-types.ts';
import { displayWidth, padToWidth } from './display-width.ts';
import { formatNanoseconds, formatNumber, formatPercent, ratio } from './format.ts';

/** A table cell: strings are written as given, numbers through {@link formatNumber}. */
export type Cell = string | number;

/** How {@link renderCompareTable} states the ratio column. */
export interface CompareTableOptions {
  /**
   * `true` shows speed relative to the baseline (2.00× = twice as fast: higher is better);
   * `false` shows time relative to the baseline (0.50× = half the time: lower is better).
   * @default true — "× faster" reads naturally for throughput comparisons.
   */
  readonly higherIsBetter?: boolean;
}

/** How a table column is aligned: text left, numbers right. */
export type ColumnAlignment = 'left' | 'right';

/**
 * Lays out already-escaped cells as a markdown table exactly as Biome's formatter would
 * (columns padded to their widest cell, at least 3, numbers right-aligned), so the generated
 * `docs/benchmarks.md` passes `biome check` unchanged.
 */
export function layoutTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  alignments: readonly ColumnAlignment[],
): string {
  const widths = headers.map((header, column) =>
    Math.max(3, displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    `| ${widths.map((width, column) => padToWidth(cells[column] ?? '', width, alignments[column] ?? 'left')).join(' | ')} |`;
  const delimiter = widths.map((width, column) =>
    alignments[column] === 'right' ? `${'-'.repeat(width - 1)}:` : '-'.repeat(width),
  );
  return [line(headers), line(delimiter), ...rows.map(line)].join('\n');
}

/**
 * Renders a GitHub-flavoured markdown table. Numeric columns (every cell a number) are
 * right-aligned; `|` and line breaks inside cells are escaped so they cannot break the table.
 *
 * @throws {RangeError} when a row has a different number of cells than `headers`.
 */
export function markdownTable(
  headers: readonly string[],
  rows: readonly (readonly Cell[])[],
): string {
  rows.forEach((row, index) => {
    if (row.length !== headers.length) {
      throw new RangeError(
        `table row ${index} has ${row.length} cells, but there are ${headers.length} headers`,
      );
    }
  });
  const alignments = headers.map(
    (_, column): ColumnAlignment =>
      rows.length > 0 && rows.every((row) => typeof row[column] === 'number') ? 'right' : 'left',
  );
  const cell = (value: Cell): string =>
    typeof value === 'number' ? formatNumber(value) : escapeCell(value);
  return layoutTable(
    headers.map(escapeCell),
    rows.map((row) => row.map(cell)),
    alignments,
  );
}

/**
 * Renders a {@link CompareResult} as a markdown table: one row per case with its ratio to the
 * baseline, the spread between rounds (interquartile range ÷ median), the range of the ratio
 * over processes and the ratio through a shared call site (when measured), and the absolute
 * time per operation labelled as indicative only (absolute times depend on the machine;
 * ratios are what to read).
 */
export function renderCompareTable(
  result: CompareResult,
  options: CompareTableOptions = {},
): string {
  const higherIsBetter = options.higherIsBetter ?? true;
  const ratioHeader = higherIsBetter
    ? 'speed vs baseline (higher is better)'
    : 'time vs baseline (lower is better)';
  const orient = (value: number): number => (higherIsBetter ? value : 1 / value);
  const processes = result.rows.find((row) => row.processes !== undefined)?.processes?.count;
  const shared = result.rows.some((row) => row.shared !== undefined);
  const rows = result.rows.map((row): string[] => [
    row.name === result.baseline ? `${escapeText(row.name)} (baseline)` : escapeText(row.name),
    ratio(orient(row.relativeToBaseline)),
    formatPercent(row.spread),
    ...(processes === undefined
      ? []
      : [
          row.processes === undefined
            ? '–'
            : `${ratio(orient(row.processes.min))}–${ratio(orient(row.processes.max))}`,
        ]),
    ...(shared
      ? [row.shared === undefined ? '–' : ratio(orient(row.shared.relativeToBaseline))]
      : []),
    formatNanoseconds(row.nsPerOp),
  ]);
  const headers = [
    'case',
    ratioHeader,
    'spread (IQR)',
    ...(processes === undefined ? [] : [`range over ${processes} processes`]),
    ...(shared ? ['through a shared call site'] : []),
    'ns/op (indicative only)',
  ];
  const table = layoutTable(
    headers,
    rows,
    headers.map((_, column) => (column === 0 ? 'left' : 'right')),
  );
  return `**${escapeText(result.title)}**\n\n${table}`;
}

/**
 * Escapes markdown (already written as markdown) for use inside a table cell: `|` and line
 * breaks, which would otherwise end the cell or the table.
 */
export function escapeCell(markdown: string): string {
  return markdown.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/**
 * Escapes plain text (a case name, a title) so it shows literally in markdown, also inside a
 * table cell: emphasis, code and link characters are backslash-escaped and `<` becomes `&lt;`
 * (so `Map<string, number>` is not taken for an HTML tag).
 */
export function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]|]/g, '\\$&')
    .replace(/</g, '&lt;')
    .replace(/\r?\n/g, ' ');
}
