import { describe, expect, it } from 'vitest';
import { compare, resolveCallSite } from './compare.ts';
import type { CompareResult } from './compare-types.ts';
import { renderCompareTable } from './markdown.ts';
import { combineResults, processPosition } from './processes.ts';

const measured = (ratios: readonly number[]): CompareResult => ({
  title: 't',
  baseline: 'peer',
  rows: [
    { name: 'peer', nsPerOp: 100, opsPerSec: 1e7, relativeToBaseline: 1, spread: 0.02 },
    ...ratios.map((ratio, index) => ({
      name: `case ${index}`,
      nsPerOp: 100 / ratio,
      opsPerSec: 1e7 * ratio,
      relativeToBaseline: ratio,
      spread: 0.05,
      shared: { relativeToBaseline: ratio / 2, spread: 0.1, nsPerOp: 200 / ratio },
    })),
  ],
});

describe('results over several processes', () => {
  it('reads the position from BENCH_PROCESS', () => {
    expect(processPosition('2/3')).toEqual({ index: 2, count: 3 });
    expect(processPosition('4/3')).toBeUndefined();
    expect(processPosition(undefined)).toBeUndefined();
  });

  it('reports the median ratio of the processes, their range and the widest spread', () => {
    const combined = combineResults([measured([2]), measured([3]), measured([2.5])]);
    const row = combined.rows[1];
    expect(row?.relativeToBaseline).toBe(2.5);
    expect(row?.processes).toEqual({ count: 3, min: 2, max: 3 });
    expect(row?.shared?.relativeToBaseline).toBe(1.25);
    const table = renderCompareTable(combined);
    expect(table).toContain('range over 3 processes');
    expect(table).toContain('2.00×–3.00×');
    expect(table).toContain('through a shared call site');
  });
});

describe('call sites', () => {
  it('defaults to both and rejects anything else', () => {
    expect(resolveCallSite(undefined, undefined)).toBe('both');
    expect(resolveCallSite(undefined, 'own')).toBe('own');
    expect(resolveCallSite('shared', 'own')).toBe('shared');
    expect(() => resolveCallSite(undefined, 'sometimes')).toThrow(RangeError);
  });

  it('measures every case through its own loop and through the shared one', async () => {
    const values = [1, 2, 3];
    const result = await compare('call sites', {
      baseline: 'sum',
      timeMs: 20,
      rounds: 4,
      callSite: 'both',
      cases: [
        { name: 'sum', fn: () => values.reduce((a, b) => a + b, 0) },
        { name: 'max', fn: () => Math.max(...values) },
      ],
    });
    for (const row of result.rows) {
      expect(row.shared?.nsPerOp).toBeGreaterThan(0);
      expect(row.nsPerOp).toBeGreaterThan(0);
    }
    expect(result.rows[0]?.shared?.relativeToBaseline).toBe(1);
  });
});
