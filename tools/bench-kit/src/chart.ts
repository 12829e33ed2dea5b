/**
 * Horizontal bar charts of ratios (higher is better, on a logarithmic scale with the 1×
 * baseline marked), as standalone SVG that reads in light and dark themes.
 */

/** One bar: a case's label, its ratio to the baseline, and whose it is. */
export interface ChartBar {
  readonly label: string;
  readonly ratio: number;
  readonly kind: 'rampart' | 'baseline' | 'peer';
}

const style = `
  .bg { fill: #f8f9fb; stroke: #d0d4da; }
  .t { fill: #1f2328; font: 600 14px system-ui, sans-serif; }
  .l { fill: #1f2328; font: 12px system-ui, sans-serif; }
  .v { fill: #1f2328; font: 600 12px system-ui, sans-serif; paint-order: stroke; stroke: #f8f9fb; stroke-width: 4px; }
  .axis { stroke: #8c959f; stroke-width: 1; }
  .one { stroke: #1f2328; stroke-width: 1.5; stroke-dasharray: 4 3; }
  .rampart { fill: #3b6fd8; }
  .baseline { fill: #8c959f; }
  .peer { fill: #e8a33d; }
  @media (prefers-color-scheme: dark) {
    .bg { fill: #1c2128; stroke: #3d444d; }
    .t, .l, .v { fill: #e6edf3; }
    .v { stroke: #1c2128; }
    .one { stroke: #e6edf3; }
    .rampart { fill: #58a6ff; }
    .peer { fill: #d29922; }
  }`;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function formatRatio(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(1) : ratio.toFixed(2)}×`;
}

/** An SVG bar chart of `bars` under `title`; bars keep their order. */
export function barChartSvg(title: string, bars: readonly ChartBar[]): string {
  const labelWidth = Math.min(380, Math.max(...bars.map((bar) => bar.label.length)) * 6.4 + 24);
  const plotWidth = 400;
  const rowHeight = 26;
  const top = 44;
  const width = Math.round(labelWidth + plotWidth + 80);
  const height = top + bars.length * rowHeight + 34;
  const ratios = bars.map((bar) => bar.ratio).filter((ratio) => ratio > 0);
  const low = Math.log2(Math.min(0.5, ...ratios) / 1.2);
  const high = Math.log2(Math.max(2, ...ratios) * 1.2);
  const at = (ratio: number): number =>
    labelWidth + ((Math.log2(Math.max(ratio, 2 ** low)) - low) / (high - low)) * plotWidth;
  const parts: string[] = [
    `<rect x="1" y="1" width="${width - 2}" height="${height - 2}" rx="10" class="bg"/>`,
    `<text x="16" y="26" class="t">${escapeXml(title)}</text>`,
  ];
  const axisY = top + bars.length * rowHeight + 4;
  const one = at(1);
  parts.push(
    `<path d="M${one.toFixed(1)} ${top - 4} L${one.toFixed(1)} ${axisY + 4}" class="one"/>`,
  );
  bars.forEach((bar, index) => {
    const y = top + index * rowHeight;
    const start = at(2 ** low);
    const end = at(bar.ratio);
    parts.push(
      `<text x="${labelWidth - 8}" y="${y + 16}" class="l" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${start.toFixed(1)}" y="${y + 4}" width="${Math.max(1, end - start).toFixed(1)}" height="${rowHeight - 8}" rx="3" class="${bar.kind}"/>`,
      `<text x="${(end + 6).toFixed(1)}" y="${y + 16}" class="v">${formatRatio(bar.ratio)}</text>`,
    );
  });
  parts.push(
    `<path d="M${labelWidth} ${axisY} L${labelWidth + plotWidth} ${axisY}" class="axis"/>`,
    `<text x="${one.toFixed(1)}" y="${axisY + 20}" class="l" text-anchor="middle">1× (baseline) · higher is better</text>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">
<title>${escapeXml(title)}</title>
<style>${style}
</style>
${parts.join('\n')}
</svg>
`;
}
