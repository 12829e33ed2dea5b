import { displayWidth, padToWidth } from './display-width.ts';

/**
 * Renders rows as a plain-text table with aligned columns for a terminal.
 * Columns listed in `rightAligned` (by index) are padded on the left, as numbers should be.
 */
export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  rightAligned: readonly number[] = [],
): string {
  const widths = headers.map((header, column) =>
    Math.max(displayWidth(header), ...rows.map((row) => displayWidth(row[column] ?? ''))),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => {
        const align = rightAligned.includes(column) ? 'right' : 'left';
        return padToWidth(cell, widths[column] ?? 0, align);
      })
      .join('  ')
      .trimEnd();
  const rule = widths.map((width) => '-'.repeat(width)).join('  ');
  return [line(headers), rule, ...rows.map(line)].join('\n');
}
