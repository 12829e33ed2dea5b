import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { validationErrorOf } from '../test-support/errors.ts';
import { type IndexedSeries, SeriesIndex } from './series-index.ts';

interface TestSeries extends IndexedSeries {
  readonly overflow: boolean;
}

function indexOf(labelNames: readonly string[], maxSeries = 100, onFirstOverflow = () => {}) {
  return new SeriesIndex<TestSeries>({
    labelNames,
    maxSeries,
    create: (labelValues, labelText, overflow) => ({
      labelValues,
      labelText,
      overflow,
      detached: false,
    }),
    onFirstOverflow,
  });
}

describe('SeriesIndex', () => {
  it('finds the same series for the same labels, whatever the key order', () => {
    const index = indexOf(['method', 'route']);
    const first = index.find({ method: 'GET', route: '/a' }, 'observe');
    expect(index.find({ route: '/a', method: 'GET' }, 'observe')).toBe(first);
    expect(index.resolve(['GET', '/a'])).toBe(first);
    expect(index.find({ method: 'GET', route: '/b' }, 'observe')).not.toBe(first);
    expect(index.size).toBe(2);
  });

  it('treats a number and its string as the same label value', () => {
    const index = indexOf(['status']);
    expect(index.find({ status: 200 }, 'inc')).toBe(index.find({ status: '200' }, 'inc'));
    expect(index.size).toBe(1);
  });

  it('pre-renders escaped label pairs', () => {
    const index = indexOf(['path', 'note']);
    expect(index.find({ path: 'a"b\\c', note: 'x\ny' }, 'inc').labelText).toBe(
      'path="a\\"b\\\\c",note="x\\ny"',
    );
  });

  it('rejects missing, unknown and non-string labels with the field named', () => {
    const index = indexOf(['method', 'route']);
    index.find({ method: 'GET', route: '/a' }, 'observe');
    expect(validationErrorOf(() => index.find({ method: 'GET' }, 'h.observe')).message).toBe(
      'h.observe: `labels.route` must be a string or a number (got undefined)',
    );
    expect(
      validationErrorOf(() => index.find({ method: 'GET', route: '/a', rout: '/a' }, 'h.observe'))
        .message,
    ).toMatch(/`labels.rout` is not a label of this metric \(its labels: method, route\)/);
    expect(
      validationErrorOf(() => index.find({ method: 'GET', route: true }, 'h.observe')).message,
    ).toMatch(/`labels.route` must be a string or a number \(got true\)/);
    expect(validationErrorOf(() => index.find(null, 'h.observe')).message).toMatch(
      /`labels` must be an object with the labels method, route \(got null\)/,
    );
    expect(index.size).toBe(1);
  });

  it('folds label sets beyond the budget into one overflow series, without storing them', () => {
    const onFirstOverflow = vi.fn();
    const index = indexOf(['route'], 2, onFirstOverflow);
    const a = index.find({ route: '/a' }, 'inc');
    index.find({ route: '/b' }, 'inc');
    const c = index.find({ route: '/c' }, 'inc');
    const d = index.find({ route: '/d' }, 'inc');
    expect(c).toBe(d);
    expect(c).toMatchObject({
      overflow: true,
      labelValues: ['true'],
      labelText: 'overflow="true"',
    });
    expect(index.find({ route: '/a' }, 'inc')).toBe(a);
    expect(index.size).toBe(2);
    expect([...index.all()]).toHaveLength(3);
    expect(onFirstOverflow).toHaveBeenCalledTimes(1);
  });

  it('frees a place in the budget when a series is removed, and detaches it', () => {
    const index = indexOf(['method', 'route'], 1);
    const a = index.find({ method: 'GET', route: '/a' }, 'inc');
    index.remove(['GET', '/a']);
    expect(a.detached).toBe(true);
    expect(index.size).toBe(0);
    const b = index.find({ method: 'GET', route: '/b' }, 'inc');
    expect(b.overflow).toBe(false);
    index.remove(['POST', '/nothing']);
    expect(index.size).toBe(1);
  });

  it('clears everything, the overflow series included', () => {
    const index = indexOf(['route'], 1);
    const a = index.find({ route: '/a' }, 'inc');
    const overflow = index.find({ route: '/b' }, 'inc');
    index.clear();
    expect(a.detached && overflow.detached).toBe(true);
    expect([...index.all()]).toEqual([]);
    expect(index.find({ route: '/b' }, 'inc').overflow).toBe(false);
  });

  it('explains that a metric without labels takes an empty labels object', () => {
    const index = indexOf([]);
    expect(validationErrorOf(() => index.valuesOf(undefined, 'c.bind')).message).toBe(
      'c.bind: `labels` must be an empty object (this metric has no labels) (got undefined)',
    );
    expect(validationErrorOf(() => index.valuesOf({ a: 'x' }, 'c.bind')).message).toBe(
      'c.bind: `labels.a` is not a label of this metric (it has none) (got "x")',
    );
  });

  it('gives a metric without labels its one series, recreated after clear', () => {
    const index = indexOf([]);
    const only = index.only();
    expect([...index.all()]).toEqual([only]);
    expect(index.resolve([])).toBe(only);
    expect(index.size).toBe(1);
    index.clear();
    expect(only.detached).toBe(true);
    expect(index.only()).not.toBe(only);
  });

  it('never holds more than its budget, keeps every stored label set, and folds only new ones', () => {
    const labelSet = fc.record({
      a: fc.constantFrom('x', 'y', 'z'),
      b: fc.oneof(fc.constantFrom('1', '2', '3', '4'), fc.integer({ min: 1, max: 4 })),
    });
    const operation = fc.oneof(
      { weight: 4, arbitrary: labelSet.map((labels) => ({ kind: 'find' as const, labels })) },
      { weight: 1, arbitrary: labelSet.map((labels) => ({ kind: 'remove' as const, labels })) },
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(operation, { maxLength: 60 }),
        (budget, operations) => {
          const index = indexOf(['a', 'b'], budget);
          const model = new Map<string, TestSeries>();
          for (const { kind, labels } of operations) {
            const key = `${labels.a}|${String(labels.b)}`;
            if (kind === 'remove') {
              index.remove(index.valuesOf(labels, 'remove'));
              model.delete(key);
              continue;
            }
            const series = index.find(labels, 'find');
            const stored = model.get(key);
            if (stored !== undefined) expect(series).toBe(stored);
            else if (model.size < budget) {
              expect(series.overflow).toBe(false);
              model.set(key, series);
            } else expect(series.overflow).toBe(true);
            expect(index.size).toBe(model.size);
            expect(index.size).toBeLessThanOrEqual(budget);
          }
        },
      ),
    );
  });
});
