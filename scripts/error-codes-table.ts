/**
 * The codes table of docs/errors.md, generated from `errorRegistry` so the guide can never
 * disagree with the code. `pnpm run docs` rewrites it; tests/docs.test.ts fails when stale.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { errorRegistry } from '../packages/errors/src/index.ts';

export const ERRORS_GUIDE: URL = new URL('../docs/errors.md', import.meta.url);
const START = '<!-- error-codes:start -->';
const END = '<!-- error-codes:end -->';

/** The markdown table of every built-in code, one row each, with an anchor per code. */
export function renderErrorCodesTable(): string {
  const rows = errorRegistry
    .list()
    .map(
      (entry) =>
        `| <a id="${entry.code.toLowerCase()}"></a>\`${entry.code}\` | ${entry.status} | ${entry.title} | \`${entry.name}\` | ${entry.retryable ? 'yes' : 'no'} | ${entry.expose ? 'yes' : 'no'} |`,
    );
  return [
    '| code | status | title | class | retryable | message exposed |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** The guide's text with the table between its markers replaced by `table`. */
export function withErrorCodesTable(guide: string, table: string): string {
  const start = guide.indexOf(START);
  const end = guide.indexOf(END);
  if (start === -1 || end < start) throw new Error(`docs/errors.md lacks ${START} … ${END}`);
  return `${guide.slice(0, start + START.length)}\n${table}\n${guide.slice(end)}`;
}

/** The table as it stands in docs/errors.md. */
export function currentErrorCodesTable(): string {
  const guide = readFileSync(ERRORS_GUIDE, 'utf8');
  return guide.slice(guide.indexOf(START) + START.length, guide.indexOf(END)).trim();
}

/** A table without the column padding the formatter adds, for comparing content. */
export function unpadTable(table: string): string {
  return table
    .split('\n')
    .map((line) => line.replace(/ *\| */g, '|').replace(/-{3,}/g, '---'))
    .join('\n');
}

/** Rewrites the table in docs/errors.md when its content is stale; returns whether it did. */
export function writeErrorCodesTable(): boolean {
  const table = renderErrorCodesTable();
  if (unpadTable(currentErrorCodesTable()) === unpadTable(table)) return false;
  writeFileSync(ERRORS_GUIDE, withErrorCodesTable(readFileSync(ERRORS_GUIDE, 'utf8'), table));
  return true;
}
