import { describe, expect, it } from 'vitest';
import type { CompareResult } from './compare-types.ts';
import { escapeText, markdownTable, renderCompareTable } from './markdown.ts';
import { renderSection } from './report.ts';

const result: CompareResult = {
  title: 'serialise a small object',
  baseline: 'JSON.stringify',
  rows: [
    { name: 'JSON.stringify', nsPerOp: 200, opsPerSec: 5e6, relativeToBaseline: 1, spread: 0.021 },
    { name: 'concat', nsPerOp: 80, opsPerSec: 12.5e6, relativeToBaseline: 2.5, spread: 0.034 },
  ],
};

describe('renderCompareTable', () => {
  it('leads with ratios and labels absolute times as indicative only', () => {
    expect(renderCompareTable(result)).toBe(
      [
        '**serialise a small object**',
        '',
        '| case                      | speed vs baseline (higher is better) | spread (IQR) | ns/op (indicative only) |',
        '| ------------------------- | -----------------------------------: | -----------: | ----------------------: |',
        '| JSON.stringify (baseline) |                                1.00× |         2.1% |                     200 |',
        '| concat                    |                                2.50× |         3.4% |                    80.0 |',
      ].join('\n'),
    );
  });

  it('shows time relative to the baseline when lower is better', () => {
    const table = renderCompareTable(result, { higherIsBetter: false });
    expect(table).toContain('time vs baseline (lower is better)');
    expect(table).toMatch(/\| concat +\| +0\.40× \|/);
  });
});

describe('escapeText', () => {
  it('shows case names literally: no emphasis, no code, no HTML tags, no cell breaks', () => {
    expect(escapeText('Map<string, number> | *lru_cache* `x`')).toBe(
      'Map&lt;string, number> \\| \\*lru\\_cache\\* \\`x\\`',
    );
  });

  it('escapes plain-text names in compare tables', () => {
    const table = renderCompareTable({
      ...result,
      rows: [{ ...result.rows[0], name: 'lru_cache' } as CompareResult['rows'][number]],
      baseline: 'lru_cache',
    });
    expect(table).toContain('| lru\\_cache (baseline) |');
  });
});

describe('markdownTable', () => {
  it('pads columns like Biome does: numbers right-aligned, pipes escaped, minimum width 3', () => {
    expect(
      markdownTable(
        ['structure', 'bytes', 'n'],
        [
          ['Map | LRU', 1_234_567, 1],
          ['object', 89.5, 'x'],
          ['é🙂', 1, 2],
        ],
      ),
    ).toBe(
      [
        '| structure  |     bytes | n   |',
        '| ---------- | --------: | --- |',
        '| Map \\| LRU | 1,234,567 | 1   |',
        '| object     |      89.5 | x   |',
        '| é🙂        |         1 | 2   |',
      ].join('\n'),
    );
  });

  it('counts wide characters as two columns', () => {
    expect(markdownTable(['name'], [['中文中文']])).toBe(
      ['| name     |', '| -------- |', '| 中文中文 |'].join('\n'),
    );
  });

  it('rejects rows whose width does not match the headers', () => {
    expect(() => markdownTable(['a', 'b'], [['only one']])).toThrow(RangeError);
  });
});

describe('renderSection', () => {
  it('starts with the title, how to rerun it, and when and where it ran', () => {
    const body = renderSection(
      { title: '@rampart/retry', rerun: 'pnpm bench retry' },
      {
        date: '2025-01-02',
        nodeVersion: 'v24.21.0',
        cpuModel: 'AMD EPYC',
        cores: 2,
        platform: 'linux x64',
      },
      ['first block', 'second block'],
    );
    expect(body).toBe(
      [
        '## @rampart/retry',
        'Rerun with `pnpm bench retry`. Measured 2025-01-02 on Node v24.21.0, AMD EPYC (2 cores, linux x64).',
        'first block',
        'second block',
      ].join('\n\n'),
    );
  });
});
