/**
 * A block index: validate incoming block metrics, place each block in the 8-D space, check its
 * hash against the hyper-distance target, and find the blocks most similar to it among 200,000.
 *
 *   pnpm --filter @rampart/example-hypercube start
 */
import { createHash } from 'node:crypto';
import { isRampartError, toProblem } from '@rampart/errors';
import {
  type BlockMetricsColumns,
  createPointSet,
  DIMENSIONS,
  distancesToCenterInto,
  hashToPoint,
  hyperDistanceTarget,
  meetsHyperDistance,
  type Point,
  parseBlockMetrics,
  position,
} from '@rampart/hypercube';

const format = (point: Point): string =>
  DIMENSIONS.map((axis, index) => `${axis}=${(point[index] ?? 0).toFixed(3)}`).join(' ');

// 1. A client sends metrics with an out-of-range score: a 400 problem naming the field.
const badBody = JSON.parse(
  '{"problemDifficulty":1.2,"solutionQuality":0.9,"validationConfidence":0.5,' +
    '"impactFactor":0.7,"noveltyScore":0.6,"category":"Physics","userComplexity":3,"timeTaken":-4}',
);
try {
  parseBlockMetrics(badBody);
} catch (error) {
  if (!isRampartError(error, 'E_VALIDATION')) throw error;
  console.log('rejected request:', JSON.stringify(toProblem(error)));
}

// 2. A valid block: its position, axis by axis.
const block = parseBlockMetrics({
  problemDifficulty: 0.8,
  solutionQuality: 0.9,
  validationConfidence: 0.5,
  impactFactor: 0.7,
  noveltyScore: 0.6,
  category: 'Computer Science',
  userComplexity: 1,
  timeTaken: 3_599,
});
const point = position(block);
console.log('position:', format(point));

// 3. The block's hash as a point, and the difficulties it meets.
const hashPoint = hashToPoint(createHash('sha256').update(JSON.stringify(block)).digest('hex'));
for (const difficulty of [0, 2, 4, 8]) {
  const target = hyperDistanceTarget(difficulty).toFixed(3);
  const verdict = meetsHyperDistance(hashPoint, difficulty) ? 'meets' : 'misses';
  console.log(`difficulty ${difficulty}: hash point ${verdict} the target ${target}`);
}

// 4. 200,000 stored blocks, as columns (what a columnar store or a Parquet reader hands over).
const rows = 200_000;
let state = 7;
const random = (): number => {
  // mulberry32: a small seeded generator, so every run indexes the same blocks.
  state = (state + 0x6d2b79f5) >>> 0;
  let mixed = Math.imul(state ^ (state >>> 15), state | 1);
  mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
  return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296;
};
const names = ['physics', 'Computer Science', 'biology', 'Earth Science', 'general'];
const column = (draw: () => number): Float64Array => Float64Array.from({ length: rows }, draw);
const columns: BlockMetricsColumns = {
  problemDifficulty: column(random),
  solutionQuality: column(random),
  validationConfidence: column(random),
  impactFactor: column(random),
  noveltyScore: column(random),
  // Complexities of at most 1 keep E (the raw complexity) inside [0, 1] for this index.
  userComplexity: column(random),
  timeTaken: column(() => 10 ** (random() * 6)),
  category: {
    codes: Uint8Array.from({ length: rows }, () => Math.floor(random() * names.length)),
    names,
  },
};
const set = createPointSet({ initialCapacity: rows });
set.addMetrics(columns);
console.log(`indexed ${set.size.toLocaleString('en')} blocks`);

// 5. The most similar stored blocks, and how many lie close by.
for (const { index, distance } of set.nearest(point, 3)) {
  console.log(`similar block #${index} at ${distance.toFixed(4)}: ${format(set.get(index))}`);
}
console.log(`blocks within 0.25: ${set.withinRadius(point, 0.25).length}`);
console.log('centroid:', format(set.centroid()));

// 6. A batch over the whole index: which blocks meet difficulty 4, without a point object each.
const distances = distancesToCenterInto(set.rows(), new Float64Array(set.size));
const target = hyperDistanceTarget(4);
let meeting = 0;
for (const distance of distances) if (distance < target) meeting++;
console.log(
  `blocks meeting difficulty 4: ${meeting.toLocaleString('en')} of ${set.size.toLocaleString('en')}`,
);
