import { fromZodError, ValidationError } from '@rampart/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { blockMetricsSchema, parseBlockMetrics, position } from './index.ts';
import { maybeMetricsArbitrary, metricsArbitrary, sampleMetrics, thrown } from './test-helpers.ts';

const UNIT_FIELDS = [
  'problemDifficulty',
  'solutionQuality',
  'validationConfidence',
  'impactFactor',
  'noveltyScore',
] as const;

describe('metrics validation', () => {
  it('names the field, the range and the value: problemDifficulty 1.2', () => {
    const error = thrown(() => position({ ...sampleMetrics, problemDifficulty: 1.2 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('E_VALIDATION');
    expect(error.status).toBe(400);
    expect(error.message).toBe('problemDifficulty must be a number from 0 to 1 (got 1.2)');
    expect(error.issues).toEqual([
      {
        path: 'problemDifficulty',
        message: 'must be a number from 0 to 1 (got 1.2)',
        code: 'too_big',
      },
    ]);
  });

  it.each(UNIT_FIELDS)('checks %s against [0, 1], NaN, infinities and types alike', (field) => {
    const cases: [unknown, string, string][] = [
      [-0.1, '-0.1', 'too_small'],
      [1.000_1, '1.0001', 'too_big'],
      [Number.NaN, 'NaN', 'invalid_type'],
      [Number.POSITIVE_INFINITY, 'Infinity', 'invalid_type'],
      [Number.NEGATIVE_INFINITY, '-Infinity', 'invalid_type'],
      ['0.5', '"0.5"', 'invalid_type'],
      [null, 'null', 'invalid_type'],
      [true, 'true', 'invalid_type'],
    ];
    for (const [value, shown, code] of cases) {
      const error = thrown(() => position({ ...sampleMetrics, [field]: value }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(`${field} must be a number from 0 to 1 (got ${shown})`);
      expect(error.issues).toEqual([
        { path: field, message: `must be a number from 0 to 1 (got ${shown})`, code },
      ]);
    }
    expect(() => position({ ...sampleMetrics, [field]: 0 })).not.toThrow();
    expect(() => position({ ...sampleMetrics, [field]: 1 })).not.toThrow();
  });

  it.each(['userComplexity', 'timeTaken'] as const)('requires %s from 0 to 1e150', (field) => {
    for (const [value, shown] of [
      [-1, '-1'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      [1e308, '1e+308'],
      [1.0000000000000002e150, '1.0000000000000002e+150'],
      ['12', '"12"'],
    ] as const) {
      const error = thrown(() => position({ ...sampleMetrics, [field]: value }));
      expect(error.message).toBe(
        `${field} must be a non-negative number up to 1e150 (got ${shown})`,
      );
    }
    expect(() => position({ ...sampleMetrics, [field]: 0 })).not.toThrow();
    expect(() => position({ ...sampleMetrics, [field]: 1e150 })).not.toThrow();
  });

  it('requires the category to be a string', () => {
    expect(thrown(() => position({ ...sampleMetrics, category: 7 as never })).message).toBe(
      'category must be a string (got 7)',
    );
  });

  it('says which fields are missing', () => {
    const { solutionQuality: _, ...rest } = sampleMetrics;
    const error = thrown(() => position(rest as never));
    expect(error.message).toBe('solutionQuality is required');
    expect(error.issues).toEqual([
      { path: 'solutionQuality', message: 'is required', code: 'invalid_type' },
    ]);
  });

  it('names every bad field at once, in field order', () => {
    const error = thrown(() =>
      position({ ...sampleMetrics, timeTaken: -5, problemDifficulty: 2, category: null as never }),
    );
    expect(error.message).toBe(
      'problemDifficulty must be a number from 0 to 1 (got 2); category must be a string (got null); ' +
        'timeTaken must be a non-negative number up to 1e150 (got -5)',
    );
    expect((error.issues as unknown[]).length).toBe(3);
  });

  it('rejects something that is not an object', () => {
    for (const [value, shown] of [
      [null, 'null'],
      ['metrics', '"metrics"'],
      [42, '42'],
    ] as const) {
      const error = thrown(() => position(value as never));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toBe(`metrics must be an object (got ${shown})`);
    }
    expect(thrown(() => position(undefined as never)).message).toBe('metrics is required');
  });

  it('captures a stack for a single record, so the caller can be found', () => {
    const error = thrown(() => position({ ...sampleMetrics, noveltyScore: 3 }));
    expect(error.stack).toContain('block-metrics.test.ts');
  });
});

describe('parseBlockMetrics', () => {
  it('returns exactly the eight fields of valid metrics', () => {
    const parsed = parseBlockMetrics({ ...sampleMetrics, extra: 'ignored', id: 42 });
    expect(parsed).toEqual(sampleMetrics);
    expect(Object.keys(parsed)).toHaveLength(8);
  });

  it('throws the same errors as position', () => {
    fc.assert(
      fc.property(maybeMetricsArbitrary, (input) => {
        let parseError: unknown;
        let positionError: unknown;
        try {
          parseBlockMetrics(input);
        } catch (error) {
          parseError = error;
        }
        try {
          position(input as never);
        } catch (error) {
          positionError = error;
        }
        expect((parseError as Error | undefined)?.message).toBe(
          (positionError as Error | undefined)?.message,
        );
      }),
    );
  });
});

describe('blockMetricsSchema', () => {
  it('accepts every valid record and strips other keys', () => {
    fc.assert(
      fc.property(metricsArbitrary, (metrics) => {
        expect(blockMetricsSchema.parse({ ...metrics, extra: true })).toEqual(metrics);
      }),
    );
  });

  it('accepts and rejects exactly what parseBlockMetrics does, on the same fields', () => {
    fc.assert(
      fc.property(maybeMetricsArbitrary, (input) => {
        const result = blockMetricsSchema.safeParse(input);
        let issues: readonly { path: string; message: string }[] = [];
        try {
          parseBlockMetrics(input);
        } catch (error) {
          issues = (error as ValidationError).issues;
        }
        expect(result.success).toBe(issues.length === 0);
        if (!result.success) {
          const zodIssues = fromZodError(result.error, { input }).issues;
          expect(zodIssues.map((issue) => issue.path)).toEqual(issues.map((issue) => issue.path));
          expect(zodIssues.map((issue) => issue.message)).toEqual(
            issues.map((issue) => issue.message),
          );
        }
      }),
      { numRuns: 500 },
    );
  });

  it('words its errors like the package does', () => {
    const result = blockMetricsSchema.safeParse({ ...sampleMetrics, problemDifficulty: 1.2 });
    expect(result.success).toBe(false);
    if (result.success) return;
    const input = { ...sampleMetrics, problemDifficulty: 1.2 };
    expect(fromZodError(result.error, { input }).message).toBe(
      'Invalid input: `problemDifficulty` must be a number from 0 to 1 (got 1.2)',
    );
  });
});
