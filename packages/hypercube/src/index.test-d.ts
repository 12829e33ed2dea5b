import { describe, expectTypeOf, it } from 'vitest';
import type * as z from 'zod';
import {
  type BlockMetrics,
  type blockMetricsSchema,
  createPointSet,
  DIMENSIONS,
  type Dimension,
  hashToPoint,
  type Neighbor,
  type Point,
  type PointLike,
  position,
  positionsInto,
} from './index.ts';

describe('types', () => {
  it('infers BlockMetrics from the schema', () => {
    expectTypeOf<Readonly<z.infer<typeof blockMetricsSchema>>>().toEqualTypeOf<BlockMetrics>();
  });

  it('returns 8-tuples and accepts arrays and typed arrays as points', () => {
    expectTypeOf(position).returns.toEqualTypeOf<Point>();
    expectTypeOf(hashToPoint).returns.toEqualTypeOf<Point>();
    expectTypeOf<Point['length']>().toEqualTypeOf<8>();
    expectTypeOf<Float64Array>().toMatchTypeOf<PointLike>();
    expectTypeOf<number[]>().toMatchTypeOf<PointLike>();
    expectTypeOf<Point>().toMatchTypeOf<PointLike>();
  });

  it('names the dimensions as literals', () => {
    expectTypeOf<Dimension>().toEqualTypeOf<'X' | 'Y' | 'Z' | 'T' | 'K' | 'E' | 'C' | 'S'>();
    expectTypeOf(DIMENSIONS[3]).toEqualTypeOf<'T'>();
  });

  it('types searches and batches', () => {
    const set = createPointSet();
    expectTypeOf(set.nearest([0, 0, 0, 0, 0, 0, 0, 0], 3)).toEqualTypeOf<Neighbor[]>();
    expectTypeOf(set.size).toEqualTypeOf<number>();
    expectTypeOf(positionsInto).returns.toEqualTypeOf<Float64Array>();
    // @ts-expect-error: numeric columns must be Float64Arrays
    positionsInto({ problemDifficulty: [0.5] }, new Float64Array(8));
    // @ts-expect-error: the options are checked
    position({} as BlockMetrics, { strict: true });
  });
});
