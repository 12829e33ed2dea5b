/**
 * Puts a bar chart beside every comparison table of a generated section: the chart is drawn
 * from the table's own ratios, so the two can never disagree.
 */
import { barChartSvg, type ChartBar } from './chart.ts';

/** A section's markdown with chart references, and the SVG files they refer to. */
export interface ChartedSection {
  readonly markdown: string;
  /** File name (under `docs/images/bench/`) → SVG document. */
  readonly charts: ReadonlyMap<string, string>;
}

const RATIO_HEADER = 'speed vs baseline (higher is better)';
const CHART_LINE = /^!\[[^\]]*\]\(images\/bench\/[^)]+\)\n\n/gm;

function cells(line: string): string[] {
  return line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

/** The bars of a comparison table (its header row first), or undefined for other tables. */
export function barsOf(table: readonly string[]): ChartBar[] | undefined {
  const header = cells(table[0] ?? '');
  const column = header.indexOf(RATIO_HEADER);
  if (column === -1) return undefined;
  return table.slice(2).map((line) => {
    const row = cells(line);
    const label = (row[0] ?? '').replaceAll('`', '').replaceAll('\\|', '|');
    const ratio = Number.parseFloat((row[column] ?? '').replaceAll(',', ''));
    const baseline = label.endsWith('(baseline)');
    const rampart = /rampart/i.test(label);
    return {
      label: baseline ? label.replace(/\s*\(baseline\)$/, ' (baseline)') : label,
      ratio,
      kind: baseline ? 'baseline' : rampart ? 'rampart' : 'peer',
    };
  });
}

/**
 * Adds, before each comparison table of `markdown` (section `id`), a reference to its chart
 * `images/bench/<id>-<n>.svg`, replacing references from an earlier run.
 */
export function withCharts(id: string, markdown: string): ChartedSection {
  const lines = markdown.replace(CHART_LINE, '').split('\n');
  const out: string[] = [];
  const charts = new Map<string, string>();
  let title = id;
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    const bold = /^\*\*(.+)\*\*$/.exec(line);
    if (bold !== null) title = bold[1] ?? title;
    if (line.startsWith('|') && !(lines[index - 1] ?? '').startsWith('|')) {
      let end = index;
      while ((lines[end] ?? '').startsWith('|')) end++;
      const bars = barsOf(lines.slice(index, end));
      if (bars !== undefined && bars.length > 0) {
        const name = `${id}-${charts.size + 1}.svg`;
        charts.set(name, barChartSvg(title, bars));
        out.push(
          `![${title.replaceAll(']', '')}: speed against the baseline, higher is better](images/bench/${name})`,
          '',
        );
      }
    }
    out.push(line);
  }
  return { markdown: out.join('\n'), charts };
}
