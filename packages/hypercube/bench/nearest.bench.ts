/**
 * Exact k = 10 nearest neighbours over 1,000,000 points: the point set (packed rows, bounded heap)
 * against the plain-array implementation, the same algorithm on plain arrays, and the same
 * algorithm on a structure of arrays (the layout the point set was measured against).
 * Run: `pnpm bench hypercube/bench/nearest`.
 */
import { createHash } from 'node:crypto';
import { compare, ratio, report } from '@rampart/bench-kit';
import { createPointSet, hashesToPointsInto } from '@rampart/hypercube';
import { seededRandom } from './fixtures.ts';
import { columnsNearest, plainHeapNearest, toColumns } from './layouts.ts';
import { plainNearest } from './plain-array.ts';

const POINTS = 1_000_000;
const K = 10;

// The blocks' own points: one per block, derived from the SHA-256 hash of the block.
const digests = new Uint8Array(POINTS * 32);
for (let index = 0; index < POINTS; index++) {
  digests.set(createHash('sha256').update(`block ${index}`).digest(), index * 32);
}
const packed = hashesToPointsInto(digests, new Float64Array(POINTS * 8));

const set = createPointSet({ initialCapacity: POINTS });
set.addRows(packed);
const plain: number[][] = Array.from({ length: POINTS }, (_, index) =>
  Array.from(packed.subarray(index * 8, index * 8 + 8)),
);
const columns = toColumns(packed);

const random = seededRandom(3);
const queries = Array.from({ length: 64 }, () => Array.from({ length: 8 }, () => random()));
let next = 0;
const query = (): number[] => queries[next++ & 63] ?? [];

// Every implementation must find the same neighbours before its speed means anything.
for (const sample of queries.slice(0, 4)) {
  const expected = JSON.stringify(plainNearest(plain, sample, K));
  for (const [name, found] of [
    ['point set', set.nearest(sample, K)],
    ['plain heap', plainHeapNearest(plain, sample, K)],
    ['columns', columnsNearest(columns, sample, K)],
  ] as const) {
    if (JSON.stringify(found) !== expected) throw new Error(`${name} disagrees with the baseline`);
  }
}

const result = await compare(`nearest ${K} of ${POINTS.toLocaleString('en')} points`, {
  baseline: 'plain arrays, full sort',
  cases: [
    { name: 'plain arrays, full sort', fn: () => plainNearest(plain, query(), K) },
    { name: 'plain arrays, bounded heap', fn: () => plainHeapNearest(plain, query(), K) },
    {
      name: 'structure of arrays, bounded heap + early exit',
      fn: () => columnsNearest(columns, query(), K),
    },
    { name: 'PointSet.nearest (packed rows)', fn: () => set.nearest(query(), K) },
  ],
});

const row = (name: string) => result.rows.find((candidate) => candidate.name === name);
const rowsVsColumns =
  (row('structure of arrays, bounded heap + early exit')?.nsPerOp ?? Number.NaN) /
  (row('PointSet.nearest (packed rows)')?.nsPerOp ?? Number.NaN);

await report('hypercube.nearest', {
  title: '@rampart/hypercube: nearest neighbours',
  rerun: 'pnpm bench hypercube/bench/nearest',
})
  .text(
    `Exact k = ${K} nearest neighbours (Euclidean, ties by insertion order) of one query among ` +
      `${POINTS.toLocaleString('en')} 8-D points derived from SHA-256 hashes (\`hashesToPointsInto\`). ` +
      'The baseline is ' +
      'the plain-array implementation (`number[][]`, every distance, a full sort); every case ' +
      'returns the same neighbours, checked before timing.',
  )
  .compareTable(result)
  .text(
    `Packed rows are ${ratio(rowsVsColumns)} as fast as a structure of arrays running the same ` +
      'algorithm, so `PointSet` stores packed rows.',
  )
  .write();
