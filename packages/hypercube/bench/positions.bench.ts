/**
 * Positions of many blocks: batches over columns or records vs one object at a time vs the
 * plain-array implementation. Run: `pnpm bench hypercube/bench/positions`.
 */
import { compare, ratio, report } from '@rampart/bench-kit';
import { type Point, position, positionsInto } from '@rampart/hypercube';
import { makeRecords, toColumns } from './fixtures.ts';
import { plainPosition } from './plain-array.ts';

const ROWS = 10_000;
const records = makeRecords(ROWS);
const columns = toColumns(records);
const namedColumns = { ...columns, category: records.map((metrics) => metrics.category) };
const out = new Float64Array(ROWS * 8);
const kept: { last: unknown } = { last: undefined };

// Every case must compute the same points before its speed means anything.
positionsInto(columns, out);
const expected = records.flatMap((metrics) => position(metrics));
const plain = records.flatMap((metrics) => plainPosition(metrics));
const named = positionsInto(namedColumns, new Float64Array(ROWS * 8));
const fromRecords = positionsInto(records, new Float64Array(ROWS * 8));
expected.forEach((value, index) => {
  if (out[index] !== value || named[index] !== value || fromRecords[index] !== value) {
    throw new Error(`batch and single positions differ at ${index}`);
  }
  if (Math.abs((plain[index] ?? 0) - value) > 1e-12 * Math.max(1, Math.abs(value))) {
    throw new Error(`the plain-array implementation differs at ${index}`);
  }
});

const PER_OBJECT = 'position(), one object at a time';
const BATCH = 'positionsInto, columns + category codes';

const result = await compare(`positions of ${ROWS.toLocaleString('en')} blocks`, {
  baseline: 'plain arrays',
  cases: [
    {
      name: 'plain arrays',
      fn: () => {
        const points: number[][] = [];
        for (const metrics of records) points.push(plainPosition(metrics));
        kept.last = points;
      },
    },
    {
      name: PER_OBJECT,
      fn: () => {
        const points: Point[] = [];
        for (const metrics of records) points.push(position(metrics));
        kept.last = points;
      },
    },
    { name: 'positionsInto, array of objects', fn: () => positionsInto(records, out) },
    { name: 'positionsInto, columns + category names', fn: () => positionsInto(namedColumns, out) },
    { name: BATCH, fn: () => positionsInto(columns, out) },
  ],
});

const row = (name: string) => result.rows.find((candidate) => candidate.name === name);
const batchVsObject =
  (row(PER_OBJECT)?.nsPerOp ?? Number.NaN) / (row(BATCH)?.nsPerOp ?? Number.NaN);
const perSecond = (name: string): number =>
  Math.round((ROWS * 1e9) / (row(name)?.nsPerOp ?? Number.NaN));

await report('hypercube.positions', {
  title: '@rampart/hypercube: batch positions',
  rerun: 'pnpm bench hypercube/bench/positions',
})
  .text(
    `Positions of ${ROWS.toLocaleString('en')} generated blocks per call (mixed category spellings, ` +
      'integer complexities, times from 0.1 s to two weeks). The baseline is the plain-array ' +
      'implementation: the formulas with `Math.log10`, a category normalised per call and a ' +
      '`number[]` per point, validating like the package. Every case computes the same points ' +
      '(the plain one to within 1e-12, as `Math.log10` rounds differently), checked before timing.',
  )
  .compareTable(result)
  .table(
    ['case', 'positions per second (indicative only)'],
    result.rows.map((candidate) => [candidate.name, perSecond(candidate.name)]),
  )
  .text(
    `Batch over columns vs one object at a time: ${ratio(batchVsObject)}. ` +
      'Both paths evaluate the same two logarithms per block (Z and T); see the guide for where ' +
      'the rest of the time goes.',
  )
  .write();
