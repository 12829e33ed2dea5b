/**
 * A few drawing primitives for the guides' diagrams: boxes, arrows and labels on a card that
 * reads in the site's light and dark themes (its colours follow `prefers-color-scheme`, and
 * every label sits on a filled shape, so it stays legible on either page background).
 */

/** A colour role of a shape: its fill and stroke follow the theme. */
export type Tone = 'neutral' | 'good' | 'bad' | 'warn' | 'info';

const style = `
  .card { fill: #f8f9fb; stroke: #d0d4da; }
  .title { fill: #1f2328; font: 600 15px system-ui, sans-serif; }
  .label { fill: #1f2328; font: 13px system-ui, sans-serif; }
  .small { fill: #3b4048; font: 12px system-ui, sans-serif; }
  .code { fill: #1f2328; font: 12px ui-monospace, monospace; }
  .edge { stroke: #6b7280; stroke-width: 1.6; fill: none; }
  .edge-bad { stroke: #c0392b; stroke-width: 1.6; fill: none; stroke-dasharray: 5 3; }
  .head { fill: #6b7280; }
  .head-bad { fill: #c0392b; }
  .neutral { fill: #ffffff; stroke: #8c959f; }
  .good { fill: #dcfce7; stroke: #2f9e44; }
  .bad { fill: #fde2e1; stroke: #c0392b; }
  .warn { fill: #fff3cd; stroke: #b7791f; }
  .info { fill: #e0ecff; stroke: #3b6fd8; }
  .chip { fill: #ffffff; stroke: #d0d4da; }
  @media (prefers-color-scheme: dark) {
    .card { fill: #1c2128; stroke: #3d444d; }
    .title, .label, .code { fill: #e6edf3; }
    .small { fill: #c9d1d9; }
    .edge { stroke: #9aa4af; }
    .head { fill: #9aa4af; }
    .edge-bad { stroke: #ff7b72; }
    .head-bad { fill: #ff7b72; }
    .neutral { fill: #262c36; stroke: #8b949e; }
    .good { fill: #12361f; stroke: #3fb950; }
    .bad { fill: #3d1716; stroke: #ff7b72; }
    .warn { fill: #3a2a0c; stroke: #d29922; }
    .info { fill: #0f2a4d; stroke: #58a6ff; }
    .chip { fill: #1c2128; stroke: #3d444d; }
  }`;

function escapeXml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/** Text lines centred on `x`, the first baseline at `y`. */
export function text(
  x: number,
  y: number,
  lines: string | readonly string[],
  className = 'label',
  anchor: 'middle' | 'start' | 'end' = 'middle',
): string {
  const all = typeof lines === 'string' ? [lines] : lines;
  return all
    .map(
      (line, index) =>
        `<text x="${x}" y="${y + index * 16}" class="${className}" text-anchor="${anchor}">${escapeXml(line)}</text>`,
    )
    .join('');
}

/** A rounded box with a bold first line and smaller lines under it. */
export function box(
  x: number,
  y: number,
  width: number,
  height: number,
  tone: Tone,
  title: string,
  lines: readonly string[] = [],
): string {
  const top = y + (height - 16 * (lines.length + 1)) / 2 + 12;
  return (
    `<rect x="${x}" y="${y}" width="${width}" height="${height}" rx="8" class="${tone}" stroke-width="1.5"/>` +
    text(x + width / 2, top, title, 'title') +
    text(x + width / 2, top + 18, lines, 'small')
  );
}

/** A label on a small filled chip, so it reads over lines and on any background. */
export function chip(x: number, y: number, lines: string | readonly string[]): string {
  const all = typeof lines === 'string' ? [lines] : lines;
  const width = Math.max(...all.map((line) => line.length)) * 6.6 + 14;
  const height = all.length * 16 + 6;
  return (
    `<rect x="${x - width / 2}" y="${y - 13}" width="${width}" height="${height}" rx="5" class="chip"/>` +
    text(x, y, all, 'small')
  );
}

/** An arrow along the points given (straight segments), with its head at the last point. */
export function arrow(points: readonly (readonly [number, number])[], bad = false): string {
  const path = points.map(([x, y], index) => `${index === 0 ? 'M' : 'L'}${x} ${y}`).join(' ');
  const [x1, y1] = points.at(-2) ?? [0, 0];
  const [x2, y2] = points.at(-1) ?? [0, 0];
  const angle = Math.atan2(y2 - y1, x2 - x1);
  const wing = (offset: number): string =>
    `${(x2 - 10 * Math.cos(angle + offset)).toFixed(1)} ${(y2 - 10 * Math.sin(angle + offset)).toFixed(1)}`;
  return (
    `<path d="${path}" class="${bad ? 'edge-bad' : 'edge'}"/>` +
    `<path d="M${x2} ${y2} L${wing(0.42)} L${wing(-0.42)} Z" class="${bad ? 'head-bad' : 'head'}"/>`
  );
}

/** A whole SVG document: a titled card of `width` × `height` holding `body`. */
export function svg(width: number, height: number, title: string, body: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}">
<title>${escapeXml(title)}</title>
<style>${style}
</style>
<rect x="1" y="1" width="${width - 2}" height="${height - 2}" rx="12" class="card"/>
${body}
</svg>
`;
}
