/**
 * The alternatives the point set was measured against, written with the same care as the package:
 * the plain-array k-nearest with a bounded heap (the package's algorithm on `number[][]`), and a
 * structure-of-arrays store (one column per dimension, in one `Float64Array`) with the same
 * algorithm and the same early exit after four dimensions. Benchmark-only code.
 */

/** A max-heap of (squared distance, index), k entries, worst on top. */
class BoundedHeap {
  readonly distances: Float64Array;
  readonly indices: Float64Array;
  readonly capacity: number;
  size = 0;
  constructor(capacity: number) {
    this.capacity = capacity;
    this.distances = new Float64Array(capacity);
    this.indices = new Float64Array(capacity);
  }
  get worst(): number {
    return this.size < this.capacity ? Number.POSITIVE_INFINITY : (this.distances[0] ?? 0);
  }
  offer(distance: number, index: number): void {
    if (this.size < this.capacity) {
      let child = this.size++;
      while (child > 0) {
        const parent = (child - 1) >> 1;
        if (!this.after(distance, index, parent)) break;
        this.distances[child] = this.distances[parent] ?? 0;
        this.indices[child] = this.indices[parent] ?? 0;
        child = parent;
      }
      this.distances[child] = distance;
      this.indices[child] = index;
      return;
    }
    if (!(distance < (this.distances[0] ?? 0))) return;
    let parent = 0;
    for (;;) {
      let child = 2 * parent + 1;
      if (child >= this.size) break;
      if (child + 1 < this.size && this.afterSlot(child + 1, child)) child++;
      if (!this.slotAfter(child, distance, index)) break;
      this.distances[parent] = this.distances[child] ?? 0;
      this.indices[parent] = this.indices[child] ?? 0;
      parent = child;
    }
    this.distances[parent] = distance;
    this.indices[parent] = index;
  }
  sorted(): { index: number; distance: number }[] {
    return Array.from({ length: this.size }, (_, slot) => slot)
      .sort(
        (a, b) =>
          (this.distances[a] ?? 0) - (this.distances[b] ?? 0) ||
          (this.indices[a] ?? 0) - (this.indices[b] ?? 0),
      )
      .map((slot) => ({
        index: this.indices[slot] ?? 0,
        distance: Math.sqrt(this.distances[slot] ?? 0),
      }));
  }
  private after(distance: number, index: number, slot: number): boolean {
    const other = this.distances[slot] ?? 0;
    return distance > other || (distance === other && index > (this.indices[slot] ?? 0));
  }
  private afterSlot(a: number, b: number): boolean {
    return this.after(this.distances[a] ?? 0, this.indices[a] ?? 0, b);
  }
  private slotAfter(slot: number, distance: number, index: number): boolean {
    const own = this.distances[slot] ?? 0;
    return own > distance || (own === distance && (this.indices[slot] ?? 0) > index);
  }
}

/** k nearest over `number[][]` with a bounded heap. */
export function plainHeapNearest(
  points: readonly (readonly number[])[],
  query: readonly number[],
  k: number,
): { index: number; distance: number }[] {
  const heap = new BoundedHeap(Math.min(k, points.length));
  points.forEach((point, index) => {
    let sum = 0;
    for (let dimension = 0; dimension < 8; dimension++) {
      const delta = (point[dimension] ?? 0) - (query[dimension] ?? 0);
      sum += delta * delta;
    }
    heap.offer(sum, index);
  });
  return heap.sorted();
}

/** Points stored column by column: dimension d of point i at `columns[d * capacity + i]`. */
export function toColumns(packed: Float64Array): Float64Array {
  const count = packed.length / 8;
  const columns = new Float64Array(packed.length);
  for (let index = 0; index < count; index++) {
    for (let dimension = 0; dimension < 8; dimension++) {
      columns[dimension * count + index] = packed[index * 8 + dimension] ?? 0;
    }
  }
  return columns;
}

/** k nearest over a structure of arrays, with the point set's early exit after 4 dimensions. */
export function columnsNearest(
  columns: Float64Array,
  query: readonly number[],
  k: number,
): { index: number; distance: number }[] {
  const count = columns.length / 8;
  const heap = new BoundedHeap(Math.min(k, count));
  const [q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0, q6 = 0, q7 = 0] = query;
  const o1 = count;
  const o2 = 2 * count;
  const o3 = 3 * count;
  const o4 = 4 * count;
  const o5 = 5 * count;
  const o6 = 6 * count;
  const o7 = 7 * count;
  let worst = heap.worst;
  for (let index = 0; index < count; index++) {
    const d0 = (columns[index] as number) - q0;
    const d1 = (columns[o1 + index] as number) - q1;
    const d2 = (columns[o2 + index] as number) - q2;
    const d3 = (columns[o3 + index] as number) - q3;
    const partial = d0 * d0 + d1 * d1 + d2 * d2 + d3 * d3;
    if (partial >= worst) continue;
    const d4 = (columns[o4 + index] as number) - q4;
    const d5 = (columns[o5 + index] as number) - q5;
    const d6 = (columns[o6 + index] as number) - q6;
    const d7 = (columns[o7 + index] as number) - q7;
    heap.offer(partial + d4 * d4 + d5 * d5 + d6 * d6 + d7 * d7, index);
    worst = heap.worst;
  }
  return heap.sorted();
}
