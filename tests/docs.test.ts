import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BENCHMARKS, renderBenchmarks } from '../scripts/bench-summary.ts';
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

describe('docs/benchmarks.md', () => {
  it('has its summary and a chart beside every comparison table (run `pnpm run docs` when this fails)', () => {
    const page = readFileSync(BENCHMARKS, 'utf8');
    const { markdown, charts } = renderBenchmarks(page);
    expect(page).toBe(markdown);
    for (const [file, svg] of charts) {
      expect(
        readFileSync(new URL(`../docs/images/bench/${file}`, import.meta.url), 'utf8'),
        file,
      ).toBe(svg);
    }
  });
});
