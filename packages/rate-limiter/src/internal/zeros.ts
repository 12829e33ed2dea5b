/**
 * A packed array of `length` zeros, stored by V8 as unboxed doubles from the start (`-0` is
 * not a small integer, so the array never changes representation when real values arrive).
 * State and outcome numbers live in such plain arrays: much cheaper to create than typed
 * arrays, and every hot function sees one kind of array.
 */
export function zeros(length: number): number[] {
  const values: number[] = [];
  for (let index = 0; index < length; index++) values.push(-0);
  return values;
}
