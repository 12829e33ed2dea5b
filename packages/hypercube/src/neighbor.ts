/** One result of a point-set search: which point, and how far it is from the query. */
export interface Neighbor {
  /** The point's index in its set: the order it was added in, from 0. */
  readonly index: number;
  /** The Euclidean distance to the query, as {@link euclidean} computes it. */
  readonly distance: number;
}
