import type { PointLike } from '../dimensions.ts';
import type { Neighbor } from '../neighbor.ts';
import { squaredRow } from './distance.ts';

/**
 * Exact k-nearest search over packed rows (point `i` at `rows[i * 8]`), by squared Euclidean
 * distance summed in dimension order, ties broken by the lower index. A bounded max-heap of the
 * k best so far, ordered by (squared distance, index), is the only state: O(n log k) time,
 * O(k) memory, no full sort.
 *
 * Once the heap is full, a row whose first four squared deltas already reach the worst kept
 * distance is skipped: the full sum can only be larger or equal (the terms are non-negative and
 * rounding is monotone), and an equal distance with a higher index loses the tie. That halves the
 * work on typical data without changing a single result.
 */
export function searchNearest(
  rows: Float64Array,
  count: number,
  query: PointLike,
  k: number,
): Neighbor[] {
  const size = Math.min(k, count);
  if (size === 0) return [];
  const distances = new Float64Array(size);
  const indices = new Float64Array(size);
  const q0 = query[0] as number;
  const q1 = query[1] as number;
  const q2 = query[2] as number;
  const q3 = query[3] as number;
  const q4 = query[4] as number;
  const q5 = query[5] as number;
  const q6 = query[6] as number;
  const q7 = query[7] as number;
  // The first `size` rows fill the heap unconditionally.
  for (let index = 0, at = 0; index < size; index++, at += 8) {
    siftUp(distances, indices, index, squaredRow(rows, at, q0, q1, q2, q3, q4, q5, q6, q7), index);
  }
  let worst = distances[0] as number;
  for (let index = size, at = size * 8; index < count; index++, at += 8) {
    const d0 = (rows[at] as number) - q0;
    const d1 = (rows[at + 1] as number) - q1;
    const d2 = (rows[at + 2] as number) - q2;
    const d3 = (rows[at + 3] as number) - q3;
    const partial = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
    if (partial >= worst) continue;
    const d4 = (rows[at + 4] as number) - q4;
    const d5 = (rows[at + 5] as number) - q5;
    const d6 = (rows[at + 6] as number) - q6;
    const d7 = (rows[at + 7] as number) - q7;
    // Same association as squaredRow: ((((((d0² + d1²) + d2²) + d3²) + d4²) + …).
    const squared = partial + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
    if (squared < worst) {
      replaceTop(distances, indices, size, squared, index);
      worst = distances[0] as number;
    }
  }
  return sortedNeighbors(distances, indices, size);
}

/**
 * Every row within `radius` (inclusive: `distance <= radius`, on the same rounded distance
 * {@link searchNearest} reports), sorted by distance then index. Squared distances are compared
 * against a bound slightly above `radius²`, so no row that qualifies is missed; the few
 * candidates right at the edge are then decided on their rounded distance.
 */
export function searchRadius(
  rows: Float64Array,
  count: number,
  query: PointLike,
  radius: number,
): Neighbor[] {
  // √d <= r (rounded) implies d <= r² (1 + 2^-51); r * r itself is within 2^-53 of r².
  const bound = radius * radius * (1 + 2 ** -48);
  const q0 = query[0] as number;
  const q1 = query[1] as number;
  const q2 = query[2] as number;
  const q3 = query[3] as number;
  const q4 = query[4] as number;
  const q5 = query[5] as number;
  const q6 = query[6] as number;
  const q7 = query[7] as number;
  const found: number[] = [];
  const squaredOf: number[] = [];
  for (let index = 0, at = 0; index < count; index++, at += 8) {
    const d0 = (rows[at] as number) - q0;
    const d1 = (rows[at + 1] as number) - q1;
    const d2 = (rows[at + 2] as number) - q2;
    const d3 = (rows[at + 3] as number) - q3;
    const partial = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
    if (partial > bound) continue;
    const d4 = (rows[at + 4] as number) - q4;
    const d5 = (rows[at + 5] as number) - q5;
    const d6 = (rows[at + 6] as number) - q6;
    const d7 = (rows[at + 7] as number) - q7;
    const squared = partial + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7;
    if (squared <= bound && Math.sqrt(squared) <= radius) {
      found.push(index);
      squaredOf.push(squared);
    }
  }
  const order = found.map((_, position) => position);
  order.sort(
    (a, b) =>
      (squaredOf[a] as number) - (squaredOf[b] as number) ||
      (found[a] as number) - (found[b] as number),
  );
  return order.map((position) => ({
    index: found[position] as number,
    distance: Math.sqrt(squaredOf[position] as number),
  }));
}

/** (a, i) ranks after (b, j): a larger distance, or the same distance and a larger index. */
function after(distanceA: number, indexA: number, distanceB: number, indexB: number): boolean {
  return distanceA > distanceB || (distanceA === distanceB && indexA > indexB);
}

/** Inserts at `slot` (the heap's current size) and restores the max-heap order. */
function siftUp(
  distances: Float64Array,
  indices: Float64Array,
  slot: number,
  distance: number,
  index: number,
): void {
  let child = slot;
  while (child > 0) {
    const parent = (child - 1) >> 1;
    const parentDistance = distances[parent] as number;
    const parentIndex = indices[parent] as number;
    if (!after(distance, index, parentDistance, parentIndex)) break;
    distances[child] = parentDistance;
    indices[child] = parentIndex;
    child = parent;
  }
  distances[child] = distance;
  indices[child] = index;
}

/** Replaces the worst entry (the root) and restores the max-heap order. */
function replaceTop(
  distances: Float64Array,
  indices: Float64Array,
  size: number,
  distance: number,
  index: number,
): void {
  let parent = 0;
  for (;;) {
    let child = 2 * parent + 1;
    if (child >= size) break;
    const right = child + 1;
    if (
      right < size &&
      after(
        distances[right] as number,
        indices[right] as number,
        distances[child] as number,
        indices[child] as number,
      )
    ) {
      child = right;
    }
    if (!after(distances[child] as number, indices[child] as number, distance, index)) break;
    distances[parent] = distances[child] as number;
    indices[parent] = indices[child] as number;
    parent = child;
  }
  distances[parent] = distance;
  indices[parent] = index;
}

function sortedNeighbors(distances: Float64Array, indices: Float64Array, size: number): Neighbor[] {
  const order = Array.from({ length: size }, (_, slot) => slot);
  order.sort(
    (a, b) =>
      (distances[a] as number) - (distances[b] as number) ||
      (indices[a] as number) - (indices[b] as number),
  );
  return order.map((slot) => ({
    index: indices[slot] as number,
    distance: Math.sqrt(distances[slot] as number),
  }));
}
