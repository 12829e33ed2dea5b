import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  currentErrorCodesTable,
  renderErrorCodesTable,
  unpadTable,
} from '../scripts/error-codes-table.ts';
import { EXAMPLES_PAGE, renderExamples, withExamples } from '../scripts/examples-page.ts';

describe('docs/errors.md', () => {
  it('lists exactly the codes of errorRegistry (run `pnpm run docs` when this fails)', () => {
    expect(unpadTable(currentErrorCodesTable())).toBe(unpadTable(renderErrorCodesTable()));
  });
});

describe('docs/examples.md', () => {
  it('lists every example with its run command and sources (run `pnpm run docs` when this fails)', () => {
    const page = readFileSync(EXAMPLES_PAGE, 'utf8');
    expect(page).toBe(withExamples(page, renderExamples()));
  });
});
