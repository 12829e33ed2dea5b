/**
 * The `q`-quantile of `values` (0 ≤ q ≤ 1), interpolating linearly between the two
 * nearest ranks (the "type 7" definition used by R and NumPy by default).
 *
 * @throws {RangeError} when `values` is empty or `q` lies outside [0, 1].
 */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new RangeError('quantile: needs at least one value');
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile: q must be within [0, 1] (got ${q})`);
  const sorted = [...values].sort((a, b) => a - b);
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  const low = sorted[lower] ?? Number.NaN;
  const high = sorted[upper] ?? Number.NaN;
  return low + (high - low) * (position - lower);
}

/**
 * The median of `values`: the middle value, or the mean of the two middle values.
 *
 * @throws {RangeError} when `values` is empty.
 */
export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

/**
 * The interquartile range divided by the median: a scale-free measure of how much the
 * samples disagree (0.05 means the middle half of the samples lie within 5 % of the median).
 * Returns 0 when the median is 0.
 *
 * @throws {RangeError} when `values` is empty.
 */
export function relativeInterquartileRange(values: readonly number[]): number {
  const middle = median(values);
  if (middle === 0) return 0;
  return (quantile(values, 0.75) - quantile(values, 0.25)) / Math.abs(middle);
}
