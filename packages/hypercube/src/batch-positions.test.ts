import { PerformanceObserver } from 'node:perf_hooks';
import { ConfigurationError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BlockMetrics, type BlockMetricsColumns, position, positionsInto } from './index.ts';
import { metricsArbitrary, sampleMetrics, thrown } from './test-helpers.ts';

function columnsOf(records: readonly BlockMetrics[], codes = true): BlockMetricsColumns {
  const column = (read: (metrics: BlockMetrics) => number): Float64Array =>
    Float64Array.from(records, read);
  const names = [...new Set(records.map((metrics) => metrics.category))];
  return {
    problemDifficulty: column((metrics) => metrics.problemDifficulty),
    solutionQuality: column((metrics) => metrics.solutionQuality),
    validationConfidence: column((metrics) => metrics.validationConfidence),
    impactFactor: column((metrics) => metrics.impactFactor),
    noveltyScore: column((metrics) => metrics.noveltyScore),
    userComplexity: column((metrics) => metrics.userComplexity),
    timeTaken: column((metrics) => metrics.timeTaken),
    category: codes
      ? {
          codes: Uint16Array.from(records, (metrics) => names.indexOf(metrics.category)),
          names,
        }
      : records.map((metrics) => metrics.category),
  };
}

/** Scavenges (young-generation collections) that started while `action` ran. */
async function collectionsDuring(action: () => void): Promise<number> {
  const starts: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) starts.push(entry.startTime);
  });
  observer.observe({ entryTypes: ['gc'] });
  const begin = performance.now();
  action();
  const end = performance.now();
  // GC entries reach observers asynchronously; a few turns of the event loop deliver them.
  for (let turn = 0; turn < 5; turn++) await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  return starts.filter((start) => start >= begin && start <= end).length;
}

describe('positionsInto', () => {
  it('gives every row the bits position gives it, from records, names or codes', () => {
    fc.assert(
      fc.property(fc.array(metricsArbitrary, { maxLength: 40 }), (records) => {
        const expected = records.flatMap((metrics) => position(metrics));
        for (const input of [records, columnsOf(records), columnsOf(records, false)]) {
          const out = new Float64Array(records.length * 8);
          expect(positionsInto(input, out)).toBe(out);
          expect([...out]).toEqual(expected);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('processes batches longer than one internal chunk', () => {
    const records = Array.from({ length: 2_500 }, (_, index) => ({
      ...sampleMetrics,
      timeTaken: index * 97.5,
      userComplexity: index % 1_200,
      category: index % 3 === 0 ? 'physics' : 'Earth Science',
    }));
    const out = new Float64Array(records.length * 8);
    positionsInto(columnsOf(records), out);
    expect([...out]).toEqual(records.flatMap((metrics) => position(metrics)));
  });

  it('accepts an out larger than needed and leaves the rest alone', () => {
    const out = new Float64Array(24).fill(-1);
    positionsInto([sampleMetrics], out);
    expect([...out.subarray(0, 8)]).toEqual(position(sampleMetrics));
    expect([...out.subarray(8)]).toEqual(new Array(16).fill(-1));
  });

  it('locates the first bad row of columns, without a stack', () => {
    const records = [sampleMetrics, sampleMetrics, sampleMetrics, sampleMetrics];
    const columns = columnsOf(records);
    columns.problemDifficulty[3] = 1.2;
    columns.timeTaken[3] = Number.NaN;
    const error = thrown(() => positionsInto(columns, new Float64Array(32)));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toBe(
      'metrics.problemDifficulty[3] must be a number from 0 to 1 (got 1.2); ' +
        'metrics.timeTaken[3] must be a non-negative number up to 1e150 (got NaN)',
    );
    expect(error.issues).toEqual([
      {
        path: 'metrics.problemDifficulty[3]',
        message: 'must be a number from 0 to 1 (got 1.2)',
        code: 'too_big',
      },
      {
        path: 'metrics.timeTaken[3]',
        message: 'must be a non-negative number up to 1e150 (got NaN)',
        code: 'invalid_type',
      },
    ]);
    expect(error.stack).not.toContain('\n    at ');
  });

  it('locates the first bad record of an array, without a stack', () => {
    const error = thrown(() =>
      positionsInto([sampleMetrics, { ...sampleMetrics, noveltyScore: -1 }], new Float64Array(16)),
    );
    expect(error.message).toBe('metrics[1].noveltyScore must be a number from 0 to 1 (got -1)');
    expect(error.stack).not.toContain('\n    at ');
    expect(
      thrown(() => positionsInto([sampleMetrics, null as never], new Float64Array(16))).message,
    ).toBe('metrics[1] must be an object (got null)');
  });

  it('rejects unknown categories per row when strict', () => {
    const records = [sampleMetrics, { ...sampleMetrics, category: 'Cooking' }];
    for (const input of [records, columnsOf(records), columnsOf(records, false)]) {
      const error = thrown(() =>
        positionsInto(input, new Float64Array(16), { strictCategories: true }),
      );
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(
        /category(\[1\])? must be one of physics, .* \(got "Cooking"\)$/,
      );
      expect(error.message).toMatch(/^metrics(\[1\]\.category|\.category\[1\]) /);
    }
  });

  it('rejects malformed columns, naming them', () => {
    const columns = columnsOf([sampleMetrics, sampleMetrics]);
    const out = new Float64Array(16);
    expect(
      thrown(() => positionsInto({ ...columns, timeTaken: [1, 2] as never }, out)).message,
    ).toBe('positionsInto: `metrics.timeTaken` must be a Float64Array (got an array of 2 items)');
    expect(
      thrown(() => positionsInto({ ...columns, impactFactor: new Float64Array(3) }, out)).message,
    ).toBe(
      'positionsInto: `metrics.impactFactor` must have 2 rows, like metrics.problemDifficulty (got 3)',
    );
    expect(thrown(() => positionsInto({ ...columns, category: ['a'] }, out)).message).toBe(
      'positionsInto: `metrics.category` must have 2 rows (got 1)',
    );
    expect(
      thrown(() =>
        positionsInto({ ...columns, category: { codes: [0, 0], names: [] } as never }, out),
      ).message,
    ).toMatch(/^positionsInto: `metrics.category` must be an array of names or \{ codes/);
    expect(
      thrown(() =>
        positionsInto(
          { ...columns, category: { codes: new Uint8Array([0, 5]), names: ['x'] } },
          out,
        ),
      ).message,
    ).toBe(
      'positionsInto: `metrics.category.codes[1]` must be an index into metrics.category.names (0 to 0) (got 5)',
    );
    expect(
      thrown(() => positionsInto({ ...columns, category: ['physics', 3 as never] }, out)).message,
    ).toBe('metrics.category[1] must be a string (got 3)');
    expect(thrown(() => positionsInto('rows' as never, out)).message).toBe(
      'positionsInto: `metrics` must be an array of metrics or metrics columns (got "rows")',
    );
  });

  it('rejects an out that is too small or not a Float64Array', () => {
    expect(
      thrown(() => positionsInto([sampleMetrics, sampleMetrics], new Float64Array(15))).message,
    ).toBe(
      'positionsInto: `out` must be a Float64Array of at least 16 numbers (8 per row) (got 15)',
    );
    expect(thrown(() => positionsInto([sampleMetrics], [] as never)).message).toBe(
      'positionsInto: `out` must be a Float64Array of at least 8 numbers (8 per row) (got an array of 0 items)',
    );
  });

  it('validates its options', () => {
    const error = thrown(() => positionsInto([], new Float64Array(0), { strict: true } as never));
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error.message).toBe('positionsInto: `strict` is not a known option');
  });

  it('allocates nothing per row on columns (no garbage collection over 500,000 rows)', async () => {
    const rows = 500_000;
    const names = ['physics', 'Computer Science', 'cooking'];
    const columns: BlockMetricsColumns = {
      problemDifficulty: new Float64Array(rows).fill(0.5),
      solutionQuality: new Float64Array(rows).fill(0.25),
      validationConfidence: new Float64Array(rows).fill(1),
      impactFactor: new Float64Array(rows).fill(0.75),
      noveltyScore: new Float64Array(rows).fill(0.1),
      userComplexity: Float64Array.from({ length: rows }, (_, row) => row % 2_000),
      timeTaken: Float64Array.from({ length: rows }, (_, row) => row * 1.5),
      category: { codes: Uint8Array.from({ length: rows }, (_, row) => row % 3), names },
    };
    const named = {
      ...columns,
      category: Array.from({ length: rows }, (_, row) => names[row % 3] ?? ''),
    };
    const out = new Float64Array(rows * 8);
    positionsInto(columns, out);
    positionsInto(named, out);
    // At most one: a collection may already be due when the call starts.
    expect(await collectionsDuring(() => positionsInto(columns, out))).toBeLessThanOrEqual(1);
    expect(await collectionsDuring(() => positionsInto(named, out))).toBeLessThanOrEqual(1);
    // The same rows one object at a time do allocate: the measurement can see it.
    const perObject = await collectionsDuring(() => {
      for (let row = 0; row < rows; row++) {
        position({
          problemDifficulty: columns.problemDifficulty[row] ?? 0,
          solutionQuality: columns.solutionQuality[row] ?? 0,
          validationConfidence: columns.validationConfidence[row] ?? 0,
          impactFactor: columns.impactFactor[row] ?? 0,
          noveltyScore: columns.noveltyScore[row] ?? 0,
          category: named.category[row] ?? '',
          userComplexity: columns.userComplexity[row] ?? 0,
          timeTaken: columns.timeTaken[row] ?? 0,
        });
      }
    });
    expect(perObject).toBeGreaterThanOrEqual(3);
  });
});
